using CacheFs.Origin.Http;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheFs.Origin.Namespace;

/// <summary>POST /v1/ops/*: one route per namespace operation, each answering with the node and X-CacheFs-Cursor.</summary>
internal static class NamespaceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var json = ProtocolJson.Default;
        app.MapPost(Routes.MakeDirectory, async context =>
            await AnswerAsync(context, await Get<Creation>(context).MakeDirectoryAsync(await JsonBody.ReadAsync(context, json.MakeDirectoryRequest), RequestInput.Session(context)), StatusCodes.Status201Created));
        app.MapPost(Routes.MakeNode, async context =>
            await AnswerAsync(context, await Get<Creation>(context).MakeNodeAsync(await JsonBody.ReadAsync(context, json.MakeNodeRequest), RequestInput.Session(context)), StatusCodes.Status201Created));
        app.MapPost(Routes.Link, async context =>
            await AnswerAsync(context, await Get<Creation>(context).LinkAsync(await JsonBody.ReadAsync(context, json.LinkRequest), RequestInput.Session(context)), StatusCodes.Status201Created));
        app.MapPost(Routes.Rename, async context =>
            await AnswerAsync(context, await Get<Renaming>(context).RenameAsync(await JsonBody.ReadAsync(context, json.RenameRequest), RequestInput.Session(context))));
        app.MapPost(Routes.Remove, async context =>
            await AnswerAsync(context, await Get<Removal>(context).RemoveAsync(await JsonBody.ReadAsync(context, json.RemoveRequest), RequestInput.Session(context))));
        app.MapPost(Routes.SetAttributes, async context =>
            await AnswerAsync(context, await Get<Attributes>(context).SetAsync(await JsonBody.ReadAsync(context, json.SetAttributesRequest), RequestInput.Session(context), RequestInput.Epoch(context))));
        app.MapPost(Routes.SetXattr, async context =>
            await AnswerAsync(context, await Get<Attributes>(context).SetXattrAsync(await JsonBody.ReadAsync(context, json.SetXattrRequest), RequestInput.Session(context))));
        app.MapPost(Routes.RemoveXattr, async context =>
            await AnswerAsync(context, await Get<Attributes>(context).RemoveXattrAsync(await JsonBody.ReadAsync(context, json.RemoveXattrRequest), RequestInput.Session(context))));
    }

    private static T Get<T>(HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    private static Task AnswerAsync(HttpContext context, (NodeInfo Node, long Cursor) result, int status = StatusCodes.Status200OK) =>
        Reply.NodeAsync(context, result.Node, result.Cursor, status);
}
