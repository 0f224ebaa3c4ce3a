using System.CommandLine;
using CacheFs.Origin;

namespace CacheFs.Cli.Origin;

/// <summary>`cachefs origin serve …` and `cachefs origin hash-token …`.</summary>
internal static class OriginCommand
{
    public static Command Create()
    {
        var command = new Command("origin", "Run a CacheFs origin server: the shared directory tree mounts fetch from.");
        command.Subcommands.Add(Serve());
        command.Subcommands.Add(HashToken());
        command.Subcommands.Add(Admin.LockCommands.OriginLocks());
        return command;
    }

    private static Command Serve()
    {
        var root = new Option<string>("--root") { Description = "The directory to serve (its files are imported at start)", Required = true };
        var listen = new Option<string>("--listen") { Description = "host:port to listen on (port 0: any free port)", DefaultValueFactory = _ => "127.0.0.1:7070" };
        var token = new Option<string>("--token") { Description = "The one bearer token every client uses (quick start)" };
        var tokensFile = new Option<string>("--tokens-file") { Description = "One client per line: <client-name> <sha256-hex of its token> (see hash-token)" };
        var state = new Option<string>("--state") { Description = "Where the database, upload temp files and logs go (default <root>/.cachefs-origin; same file system as the root)" };
        var leaseTtl = new Option<int>("--lease-ttl") { Description = "Seconds a session and its leases last without a heartbeat", DefaultValueFactory = _ => 30 };
        var certificate = new Option<string>("--tls-cert") { Description = "A PEM certificate: serve HTTPS" };
        var key = new Option<string>("--tls-key") { Description = "The PEM key of --tls-cert (when not in the same file)" };
        var command = new Command("serve", "Serve a directory to CacheFs mounts until SIGINT or SIGTERM. Prints the URL on standard output once listening.")
        {
            root, listen, token, tokensFile, state, leaseTtl, certificate, key,
        };
        command.SetAction((result, cancel) =>
        {
            var settings = new OriginServeSettings(
                MountPath(result.GetValue(root)!),
                result.GetValue(listen)!,
                result.GetValue(token),
                result.GetValue(tokensFile),
                result.GetValue(state) is { } s ? MountPath(s) : null,
                TimeSpan.FromSeconds(result.GetValue(leaseTtl)),
                result.GetValue(certificate),
                result.GetValue(key),
                result.GetValue(CommandLine.LogLevel));
            return new OriginServe(settings, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error).RunAsync();
        });
        return command;
    }

    private static Command HashToken()
    {
        var token = new Argument<string>("token") { Description = "The token to hash; '-' reads it from standard input (keeps it out of the shell history)" };
        var command = new Command("hash-token", "Print the SHA-256 of a token, as a --tokens-file line wants it") { token };
        command.SetAction(result =>
        {
            var value = result.GetValue(token)!;
            if (value == "-")
                value = Console.In.ReadLine() ?? "";
            if (value.Length == 0)
            {
                result.InvocationConfiguration.Error.WriteLine("cachefs: the token is empty");
                return OriginExitCodes.InvalidArguments;
            }

            result.InvocationConfiguration.Output.WriteLine(OriginToken.Hash(value));
            return OriginExitCodes.Ok;
        });
        return command;
    }

    private static string MountPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
