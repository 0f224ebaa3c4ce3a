using System.CommandLine;

namespace CacheFs.Cli;

/// <summary>The `cachefs` command tree. Each verb lives in its own folder as the features land.</summary>
internal static class CommandLine
{
    public static RootCommand Build() =>
        new("CacheFs: a caching file system for teams sharing large files over a slow link.");
}
