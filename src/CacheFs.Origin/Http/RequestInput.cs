using System.Globalization;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;

namespace CacheFs.Origin.Http;

/// <summary>Reads the query parameters and headers the protocol defines, refusing malformed ones as BadRequest.</summary>
internal static class RequestInput
{
    /// <summary>The raw <c>path</c> query parameter (null when absent); the path policy validates it.</summary>
    public static string? Path(HttpContext context) =>
        context.Request.Query.TryGetValue("path", out var values) ? values.ToString() : null;

    public static string? Session(HttpContext context) =>
        context.Request.Headers.TryGetValue(Headers.Session, out var values) && values.ToString() is { Length: > 0 } id ? id : null;

    public static long? Epoch(HttpContext context) =>
        context.Request.Headers.TryGetValue(Headers.LeaseEpoch, out var values) ? Number(values.ToString(), Headers.LeaseEpoch) : null;

    public static long? HeaderNumber(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var values) && values.ToString().Length > 0 ? Number(values.ToString(), name) : null;

    public static long? QueryNumber(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.ToString().Length > 0 ? Number(values.ToString(), name) : null;

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value ? value : null;

    private static long Number(string text, string name) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw OriginException.BadRequest($"{name} must be a non-negative integer, not '{text}'");
}
