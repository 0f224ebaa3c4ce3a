using System.Diagnostics;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serilog;
using Serilog.Events;

namespace CacheFs.Origin.Http;

/// <summary>
/// One log line per request: method, route, path parameter, status, elapsed time and the client. Successful content
/// reads log at Debug, since a large file is read as many ranges.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger log)
{
    public const string ClientItem = "cachefs.client";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            var level = LevelOf(context, status);
            if (log.IsEnabled(level))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value;
                log.Write(
                    level,
                    "{Method} {Route} {PathParam} → {Status} in {ElapsedMs:0.0} ms ({Client})",
                    context.Request.Method,
                    route,
                    context.Request.Query["path"].ToString(),
                    status,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.Items[ClientItem] as string ?? "-");
            }
        }
    }

    private static LogEventLevel LevelOf(HttpContext context, int status)
    {
        if (status >= 500)
            return LogEventLevel.Error;
        if (status >= 400 && status != 499)
            return LogEventLevel.Warning;
        var path = context.Request.Path.Value;
        return HttpMethods.IsGet(context.Request.Method) && path is Routes.Content or Routes.Health
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }
}
