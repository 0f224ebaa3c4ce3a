using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Leases;

/// <summary>POST /v1/leases (take or renew) and DELETE /v1/leases/{id} (give back).</summary>
internal static class LeaseEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Leases, async context =>
        {
            var request = await JsonBody.ReadAsync(context, ProtocolJson.Default.LeaseRequest);
            if (!Enum.IsDefined(request.Mode))
                throw OriginException.Invalid($"Unknown lease mode {request.Mode}");
            var path = context.RequestServices.GetRequiredService<OriginTree>().Paths.Check(request.Path);
            var grant = await context.RequestServices.GetRequiredService<LeaseService>().AcquireAsync(request, path);
            await Reply.JsonAsync(context, grant, ProtocolJson.Default.LeaseGrant);
        });
        app.MapDelete(Routes.Leases + "/{id}", async context =>
        {
            var id = context.Request.RouteValues["id"] as string ?? "";
            await context.RequestServices.GetRequiredService<LeaseService>().ReleaseAsync(id, RequestInput.Session(context));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }
}
