using CacheFs.Protocol;

namespace CacheFs.Origin.Http;

/// <summary>
/// A refusal with its protocol error code. Services throw it; <see cref="ProblemMiddleware"/> turns it into the one
/// <see cref="ProblemReport"/> answer, so every refusal reaches the client in the same shape.
/// </summary>
internal sealed class OriginException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;

    public string? Holder { get; init; }

    public long? CurrentVersion { get; init; }

    public ProblemReport ToReport() => new(Code, Message) { Holder = Holder, CurrentVersion = CurrentVersion };

    public static OriginException NotFound(string path) => new(ErrorCode.NotFound, $"'{path}' does not exist");

    public static OriginException BadRequest(string message) => new(ErrorCode.BadRequest, message);

    public static OriginException Invalid(string message) => new(ErrorCode.InvalidArgument, message);
}
