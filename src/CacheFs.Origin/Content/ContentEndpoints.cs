using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Content;

/// <summary>GET/HEAD, PUT and PATCH /v1/content.</summary>
internal static class ContentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods(Routes.Content, ["GET", "HEAD"], context => context.RequestServices.GetRequiredService<ContentReader>().GetAsync(context));
        app.MapPut(Routes.Content, context => context.RequestServices.GetRequiredService<Upload>().PutAsync(context));
        app.MapMethods(Routes.Content, ["PATCH"], context => context.RequestServices.GetRequiredService<Upload>().PatchAsync(context));
    }
}
