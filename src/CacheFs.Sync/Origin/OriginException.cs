using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Sync.Origin;

/// <summary>The origin answered and refused: <see cref="Problem"/> says why. Never retried: asking again gets the same answer.</summary>
public sealed class OriginException : Exception
{
    public OriginException(HttpStatusCode status, ProblemReport problem)
        : base($"the origin refused the request: {problem.Message} ({problem.Code}, HTTP {(int)status})")
    {
        Status = status;
        Problem = problem;
    }

    public HttpStatusCode Status { get; }

    public ProblemReport Problem { get; }

    public ErrorCode Code => Problem.Code;
}

/// <summary>The origin could not be reached or did not answer in time, or the circuit breaker says it is down.</summary>
public sealed class OriginUnavailableException : Exception
{
    public OriginUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
