using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Serilog;

namespace CacheFs.Origin.Http;

/// <summary>
/// The one place a failure becomes an answer: an <see cref="OriginException"/> is its problem report, a full disk is
/// NoSpace, anything else is logged with its stack and answered 500 Internal.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next, ILogger log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a cancelled read-ahead, a dropped upload): nobody is left to answer.
            log.Debug("{Method} {Path} ended with the client gone: {Message}", context.Request.Method, context.Request.Path.Value, e.Message);
        }
        catch (OriginException e)
        {
            await AnswerAsync(context, e.ToReport());
        }
        catch (BadHttpRequestException e)
        {
            await AnswerAsync(context, new ProblemReport(ErrorCode.BadRequest, e.Message));
        }
        catch (IOException e) when (Storage.DiskErrors.IsNoSpace(e))
        {
            await AnswerAsync(context, new ProblemReport(ErrorCode.NoSpace, "The origin's disk is full"));
        }
        catch (Exception e)
        {
            log.Error(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            await AnswerAsync(context, new ProblemReport(ErrorCode.Internal, "The origin failed to handle the request; its log says why"));
        }
    }

    private static async Task AnswerAsync(HttpContext context, ProblemReport report)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            // Too late for a status: end the connection so the client sees a broken answer, not a short one.
            context.Abort();
            return;
        }

        await Reply.ProblemAsync(context, report);
    }
}
