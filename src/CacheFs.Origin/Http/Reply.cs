using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;

namespace CacheFs.Origin.Http;

/// <summary>Writes answers: JSON through the source-generated <see cref="ProtocolJson"/> context, and problem reports.</summary>
internal static class Reply
{
    public const string JsonType = "application/json; charset=utf-8";

    public static async Task JsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    /// <summary>A mutation's answer: the node, and the change cursor it reached so the client can skip its own events.</summary>
    public static Task NodeAsync(HttpContext context, NodeInfo node, long cursor, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers[Headers.Cursor] = cursor.ToString(CultureInfo.InvariantCulture);
        return JsonAsync(context, node, ProtocolJson.Default.NodeInfo, status);
    }

    public static Task ProblemAsync(HttpContext context, ProblemReport report)
    {
        context.Response.Clear();
        if (report.Code == ErrorCode.Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        return JsonAsync(context, report, ProtocolJson.Default.ProblemReport, (int)Problems.StatusOf(report.Code));
    }
}
