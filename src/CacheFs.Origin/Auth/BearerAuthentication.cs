using CacheFs.Origin.Http;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;

namespace CacheFs.Origin.Auth;

/// <summary>Every request but the health check must carry a valid <c>Authorization: Bearer</c> token; else 401.</summary>
internal sealed class BearerAuthentication(RequestDelegate next, TokenStore tokens)
{
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(Routes.Health, StringComparison.Ordinal))
            return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            throw new OriginException(ErrorCode.Unauthorized, "A bearer token is required (Authorization: Bearer <token>)");
        var client = tokens.ClientOf(header[Scheme.Length..].Trim());
        context.Items[RequestLogging.ClientItem] = client ?? throw new OriginException(ErrorCode.Unauthorized, "The bearer token is not valid");
        return next(context);
    }
}
