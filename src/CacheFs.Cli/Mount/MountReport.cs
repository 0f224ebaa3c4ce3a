using System.Globalization;

namespace CacheFs.Cli.Mount;

/// <summary>
/// How a mount tells whoever started it that it is serving, or why it cannot. In the foreground that is the terminal
/// (the log says "mounted …", a failure is printed); a --background child writes one line on its standard output, which
/// the waiting parent reads: "ready", or "failed &lt;exit code&gt; &lt;message&gt;".
/// </summary>
internal sealed class MountReport(TextWriter error, TextWriter? parent)
{
    private const string ReadyLine = "ready";
    private const string FailedPrefix = "failed ";

    public bool ToParent => parent is not null;

    public void Ready()
    {
        parent?.WriteLine(ReadyLine);
        parent?.Flush();
    }

    /// <summary>Reports the failure and returns its exit code.</summary>
    public int Failed(MountFailure failure)
    {
        var message = failure.Message.ReplaceLineEndings(" ");
        if (parent is null)
        {
            error.WriteLine("cachefs: " + message);
        }
        else
        {
            parent.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{FailedPrefix}{failure.ExitCode} {message}"));
            parent.Flush();
        }

        return failure.ExitCode;
    }

    /// <summary>The parent's side: null for "ready", else the child's failure; a line it does not know is a failure too.</summary>
    public static MountFailure? Parse(string line)
    {
        if (line == ReadyLine)
            return null;
        if (line.StartsWith(FailedPrefix, StringComparison.Ordinal))
        {
            var rest = line[FailedPrefix.Length..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(rest.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                return new MountFailure(code, rest[(space + 1)..]);
        }

        return new MountFailure(ExitCodes.Failed, $"the background mount said something unexpected: {line}");
    }
}
