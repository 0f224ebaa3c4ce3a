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

    private static long NodeOf(HttpContext context, string? path)
    {
        var tree = context.RequestServices.GetRequiredService<OriginTree>();
        var valid = tree.Paths.Check(path);
        return tree.Read(catalog => OriginTree.Existing(catalog, valid).Id);
    }
}
