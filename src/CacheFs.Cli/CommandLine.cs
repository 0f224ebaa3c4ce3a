using System.CommandLine;
using CacheFs.Cli.Mount;
using Serilog.Events;

namespace CacheFs.Cli;

/// <summary>The `cachefs` command tree. Each verb lives in its own folder as the features land.</summary>
internal static class CommandLine
{
    /// <summary>Every command accepts it; mount and origin commands log at this level to the console and their log file.</summary>
    public static Option<LogEventLevel> LogLevel { get; } = new("--log-level")
    {
        Description = "Verbose, Debug, Information, Warning, Error or Fatal",
        DefaultValueFactory = _ => LogEventLevel.Information,
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("CacheFs: a caching file system for teams sharing large files over a slow link.");
        root.Options.Add(LogLevel);
        root.Subcommands.Add(MountCommand.Create());
        root.Subcommands.Add(UnmountCommand.Create());
        root.Subcommands.Add(Control.ControlCommands.Sync());
        root.Subcommands.Add(Control.ControlCommands.Status());
        root.Subcommands.Add(Cache.CacheCommands.Create());
        root.Subcommands.Add(Admin.ConflictCommands.Create());
        root.Subcommands.Add(Admin.LockCommands.Locks());
        root.Subcommands.Add(Admin.OfflineCommands.Offline());
        root.Subcommands.Add(Admin.OfflineCommands.Online());
        root.Subcommands.Add(Origin.OriginCommand.Create());
        return root;
    }
}
