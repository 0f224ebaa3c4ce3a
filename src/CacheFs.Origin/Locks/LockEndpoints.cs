using CacheFs.Origin.Http;
using CacheFs.Origin.Sessions;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Locks;

/// <summary>
/// POST /v1/locks and /v1/locks/release-owner. A lock is keyed by the node, so it follows the file through renames.
/// Without Wait a refused lock is 200 with Granted=false and the conflict; with Wait the request long-polls and, if the
/// conflict is still there at the limit, is refused 409 LockConflict (the client asks again).
/// </summary>
internal static class LockEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Locks, async context =>
        {
            var request = await JsonBody.ReadAsync(context, ProtocolJson.Default.LockRequest);
            if (!Enum.IsDefined(request.Family) || !Enum.IsDefined(request.Type) || string.IsNullOrEmpty(request.Owner))
                throw OriginException.Invalid("A lock request needs a known family and type and an owner");
            var session = context.RequestServices.GetRequiredService<SessionService>().Require(request.SessionId);
            var node = NodeOf(context, request.Path);
            var result = await context.RequestServices.GetRequiredService<LockService>().LockAsync(session, node, request, context.RequestAborted);
            var head = context.RequestServices.GetRequiredService<OriginTree>().Database.Head;
            await Reply.JsonAsync(context, result with { Cursor = head }, ProtocolJson.Default.LockResult);
        });
        app.MapPost(Routes.ReleaseOwnerLocks, async context =>
        {
            var request = await JsonBody.ReadAsync(context, ProtocolJson.Default.LockOwnerRequest);
            var session = context.RequestServices.GetRequiredService<SessionService>().Require(request.SessionId);
            var node = NodeOf(context, request.Path);
            context.RequestServices.GetRequiredService<LockService>().ReleaseOwner(session, node, request.Owner ?? "", request.Family);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    /// <summary>The admin's view: GET /v1/locks/held?path=, and POST /v1/locks/break (logged: it takes locks from running programs).</summary>
    public static void MapAdmin(IEndpointRouteBuilder app, Serilog.ILogger log)
    {
        app.MapGet(Routes.HeldLocks, async context =>
        {
            var path = context.Request.Query["path"].ToString();
            var node = NodeOf(context, path);
            var locks = context.RequestServices.GetRequiredService<LockService>();
            var held = (LockFamily[])[LockFamily.Posix, LockFamily.Flock];
            var list = held.SelectMany(f => locks.Held(node, f).Select(l => new HeldLockInfo(f, l.Describe()))).ToList();
            await Reply.JsonAsync(context, new HeldLocks(path, list), ProtocolJson.Default.HeldLocks);
        });
        app.MapPost(Routes.BreakLocks, async context =>
        {
            var request = await JsonBody.ReadAsync(context, ProtocolJson.Default.BreakLocksRequest);
            var node = NodeOf(context, request.Path);
            var broken = context.RequestServices.GetRequiredService<LockService>().Break(node);
            log.Warning(
                "Locks on {Path} broken by an admin: {Count} ({Holders})", request.Path, broken.Count, string.Join(", ", broken.Select(b => b.Lock.ClientName).Distinct()));
            await Reply.JsonAsync(context, new HeldLocks(request.Path, [.. broken.Select(b => new HeldLockInfo(b.Family, b.Lock.Describe()))]), ProtocolJson.Default.HeldLocks);
        });
    }

    private static long NodeOf(HttpContext context, string? path)
    {
        var tree = context.RequestServices.GetRequiredService<OriginTree>();
        var valid = tree.Paths.Check(path);
        return tree.Read(catalog => OriginTree.Existing(catalog, valid).Id);
    }
}
