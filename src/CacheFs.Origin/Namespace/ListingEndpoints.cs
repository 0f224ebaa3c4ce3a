using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Namespace;

/// <summary>GET /v1/node, /v1/list and /v1/changes: reads, each inside one read transaction (one consistent cursor).</summary>
internal static class ListingEndpoints
{
    public const int DefaultChangeLimit = 1000;
    public const int MaxChangeLimit = 10_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.Node, context =>
        {
            var tree = context.RequestServices.GetRequiredService<OriginTree>();
            var path = tree.Paths.Check(RequestInput.Path(context));
            var node = tree.Read(catalog => catalog.Info(OriginTree.Existing(catalog, path), path));
            return Reply.JsonAsync(context, node, ProtocolJson.Default.NodeInfo);
        });

        app.MapGet(Routes.Names, context =>
        {
            var tree = context.RequestServices.GetRequiredService<OriginTree>();
            var id = RequestInput.QueryNumber(context, "id") ?? throw OriginException.Invalid("The query needs id=");
            var names = tree.Read(catalog => new NodeNames(id, catalog.NamesOf(id)));
            return Reply.JsonAsync(context, names, ProtocolJson.Default.NodeNames);
        });

        app.MapGet(Routes.List, context =>
        {
            var tree = context.RequestServices.GetRequiredService<OriginTree>();
            var path = tree.Paths.Check(RequestInput.Path(context));
            var listing = tree.Read(catalog => List(catalog, tree.Paths, path));
            return Reply.JsonAsync(context, listing, ProtocolJson.Default.DirectoryListing);
        });

        app.MapGet(Routes.Changes, context =>
        {
            var tree = context.RequestServices.GetRequiredService<OriginTree>();
            var since = RequestInput.QueryNumber(context, "since") ?? 0;
            var limit = (int)Math.Clamp(RequestInput.QueryNumber(context, "limit") ?? DefaultChangeLimit, 1, MaxChangeLimit);
            var batch = tree.Read(catalog =>
            {
                var changes = ChangeLog.After(catalog, since, limit + 1);
                var more = changes.Count > limit;
                if (more)
                    changes.RemoveAt(limit);
                return new ChangeBatch(changes, more ? changes[^1].Cursor : catalog.Head(), more);
            });
            return Reply.JsonAsync(context, batch, ProtocolJson.Default.ChangeBatch);
        });
    }

    private static DirectoryListing List(Catalog catalog, PathPolicy paths, string path)
    {
        var directory = OriginTree.Existing(catalog, path);
        if (!directory.IsDirectory)
            throw new OriginException(ErrorCode.NotDirectory, $"'{path}' is not a directory");
        var xattrs = catalog.XattrsOfChildren(path);
        var entries = catalog.Children(path)
            .Where(child => !paths.IsReserved(OriginPath.Join(path, child.Name)))
            .Select(child => child.Node.ToInfo(child.Name, xattrs.GetValueOrDefault(child.Node.Id)))
            .ToList();
        return new DirectoryListing(catalog.Info(directory, path), entries, catalog.Head());
    }
}
