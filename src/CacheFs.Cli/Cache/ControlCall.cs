using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using CacheFs.Cli.Mount;
using CacheFs.Sync.Control;
using Spectre.Console;

namespace CacheFs.Cli.Cache;

/// <summary>
/// One admin command's call to a running mount: find the mount, send the request, and turn what can go wrong into a
/// message that says what to do and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal sealed class ControlCall
{
    public static readonly Option<string> MountOption = new("--mount") { Description = "The mount point of the running mount (default: the only one running)" };
    public static readonly Option<string> CacheOption = new("--cache") { Description = "Its cache directory instead of --mount" };
    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print the answer as JSON, for scripts" };

    private readonly ParseResult _result;

    public ControlCall(ParseResult result)
    {
        _result = result;
        Output = result.InvocationConfiguration.Output;
        Error = result.InvocationConfiguration.Error;
        Json = result.GetValue(JsonOption);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Output),
            Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = System.Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (!Console.Profile.Capabilities.Interactive)
            Console.Profile.Width = 120;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Json { get; }

    /// <summary>Human output (tables, progress bars); plain text when the output is not a terminal.</summary>
    public IAnsiConsole Console { get; }

    public MountTarget? Target { get; private set; }

    /// <summary>Finds the mount, or prints why not and returns the exit code.</summary>
    public async Task<int?> LocateAsync()
    {
        Target = MountTarget.Find(_result.GetValue(MountOption), _result.GetValue(CacheOption), out var problem);
        if (Target is not null)
            return null;
        await FailAsync(problem).ConfigureAwait(false);
        return ExitCodes.NotMounted;
    }

    /// <summary>Paths as the mount's root sees them, or null after printing which one is not on the mount.</summary>
    public async Task<List<string>?> RelativeAsync(IEnumerable<string> paths)
    {
        var relative = new List<string>();
        foreach (var path in paths)
        {
            if (Target!.Relative(path, out var problem) is not { } inside)
            {
                await FailAsync(problem).ConfigureAwait(false);
                return null;
            }

            relative.Add(inside);
        }

        return relative;
    }

    /// <summary>Sends <paramref name="request"/>; (answer, null) or (null, exit code) after printing the reason.</summary>
    public async Task<(ControlResponse? Response, int? Exit)> SendAsync(ControlRequest request, CancellationToken ct, Action<ControlResponse>? progress = null)
    {
        var target = Target!;
        try
        {
            var response = await ControlClient.SendAsync(target.CacheDirectory, request, ct, progress).ConfigureAwait(false);
            if (!response.Ok && response.Message.StartsWith("only the user who mounted", StringComparison.Ordinal))
            {
                await FailAsync($"permission denied: {response.Message} ({Name(target)})").ConfigureAwait(false);
                return (null, ExitCodes.PermissionDenied);
            }

            return (response, null);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            await FailAsync($"permission denied: only the user who mounted {Name(target)} (or root) may control it").ConfigureAwait(false);
            return (null, ExitCodes.PermissionDenied);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            await FailAsync($"no running mount answers for the cache {target.CacheDirectory} ({e.Message}); is `cachefs mount` running?").ConfigureAwait(false);
            return (null, ExitCodes.NotMounted);
        }
    }

    public Task FailAsync(string message) => Error.WriteLineAsync("cachefs: " + message);

    /// <summary>
    /// The end of a command whose answer is its message: the answer as JSON with --json, the message on standard
    /// output when it went well, on standard error with <paramref name="failure"/> as the exit code when not.
    /// </summary>
    public async Task<int> ReportAsync(ControlResponse response, int failure)
    {
        if (Json)
            await WriteJsonAsync(response).ConfigureAwait(false);
        if (!response.Ok)
        {
            await FailAsync(response.Message).ConfigureAwait(false);
            return failure;
        }

        if (!Json)
            await Output.WriteLineAsync(response.Message).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Prints <paramref name="value"/> as one line of JSON (the control endpoint's own contract).</summary>
    public Task WriteJsonAsync<T>(T value) =>
        Output.WriteLineAsync(JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ControlJson.Default.GetTypeInfo(typeof(T))!));

    private static string Name(MountTarget target) => target.MountPoint ?? target.CacheDirectory;
}
