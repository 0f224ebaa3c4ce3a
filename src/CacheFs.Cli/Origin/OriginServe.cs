using CacheFs.Cli.Logging;
using CacheFs.Cli.Mount;
using CacheFs.Origin;
using Serilog;

namespace CacheFs.Cli.Origin;

/// <summary>
/// Runs an origin in the foreground: check the arguments (before anything is created on disk), start, print the URL
/// on standard output, serve until SIGINT/SIGTERM/SIGHUP, then end the sessions and stop cleanly.
/// </summary>
internal sealed class OriginServe(OriginServeSettings settings, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync()
    {
        if (!Directory.Exists(settings.Root))
            return Fail(OriginExitCodes.RootMissing, $"The root directory {settings.Root} does not exist");
        IReadOnlyList<OriginToken> tokens;
        try
        {
            tokens = Tokens();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(OriginExitCodes.InvalidArguments, e.Message);
        }

        using var log = LogSetup.Create(settings.LogLevel, settings.ResolvedState);
        using var signals = new ShutdownSignals();
        OriginServer origin;
        try
        {
            origin = await OriginServer.StartAsync(Options(tokens, log));
        }
        catch (OriginStartException e)
        {
            log.ForContext(LogSetup.ShownToUser, true).Error("{Message}", e.Message);
            return Fail(OriginExitCodes.Of(e.Error), e.Message);
        }
        catch (Exception e)
        {
            log.Fatal(e, "The origin failed to start");
            return Fail(OriginExitCodes.Failed, $"The origin failed to start: {e.Message}");
        }

        await using (origin)
        {
            output.WriteLine(origin.Uri.ToString());
            output.Flush();
            var signal = await signals.Received;
            log.Information("{Signal}: stopping the origin", signal.ToString());
        }

        log.Information("The origin stopped");
        return OriginExitCodes.Ok;
    }

    private IReadOnlyList<OriginToken> Tokens()
    {
        if (settings.Token is not null && settings.TokensFile is not null)
            throw new ArgumentException("Give --token or --tokens-file, not both");
        if (settings.Token is { } token)
            return token.Length > 0 ? [OriginToken.FromSecret("token", token)] : throw new ArgumentException("--token is empty");
        if (settings.TokensFile is { } file)
        {
            var tokens = OriginTokensFile.Read(file);
            return tokens.Count > 0 ? tokens : throw new FormatException($"The tokens file {file} names no client");
        }

        throw new ArgumentException("The origin needs a token: --token <token>, or --tokens-file <file> (one '<client-name> <sha256-hex>' a line; cachefs origin hash-token makes the hex)");
    }

    private OriginOptions Options(IReadOnlyList<OriginToken> tokens, ILogger log) => new()
    {
        Root = settings.Root,
        StateDirectory = settings.StateDirectory,
        Listen = settings.Listen,
        Tokens = tokens,
        LeaseTtl = settings.LeaseTtl,
        CertificatePemFile = settings.Certificate,
        CertificateKeyPemFile = settings.CertificateKey,
        Logger = log,
    };

    private int Fail(int code, string message)
    {
        error.WriteLine("cachefs: " + message);
        return code;
    }
}
