using System.CommandLine;

namespace CacheFs.Cli;

internal static class Program
{
    public static int Main(string[] args) => CommandLine.Build().Parse(args).Invoke();
}
