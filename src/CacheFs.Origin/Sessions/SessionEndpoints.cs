using CacheFs.Origin.Http;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Sessions;

/// <summary>POST /v1/sessions, POST /v1/sessions/{id}/heartbeat, DELETE /v1/sessions/{id}.</summary>
internal static class SessionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Sessions, async context =>
        {
            var request = await JsonBody.ReadAsync(context, ProtocolJson.Default.OpenSessionRequest);
            var info = await Service(context).OpenAsync(request);
            await Reply.JsonAsync(context, info, ProtocolJson.Default.SessionInfo, StatusCodes.Status201Created);
        });
        app.MapPost(Routes.Sessions + "/{id}" + Routes.HeartbeatSuffix, async context =>
        {
            var info = await Service(context).HeartbeatAsync(Id(context));
            await Reply.JsonAsync(context, info, ProtocolJson.Default.SessionInfo);
        });
        app.MapDelete(Routes.Sessions + "/{id}", async context =>
        {
            await Service(context).CloseAsync(Id(context));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    private static SessionService Service(HttpContext context) => context.RequestServices.GetRequiredService<SessionService>();

    private static string Id(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";
}
