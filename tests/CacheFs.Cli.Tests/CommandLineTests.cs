using System.CommandLine;

namespace CacheFs.Cli.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Version_AsProcess_PrintsProductVersion()
    {
        // --version reports the entry assembly, so it is only meaningful in a real process.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CacheFs.Cli.dll"), "--version"])
        {
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0);
        output.Trim().Should().StartWith("0.1.0");
    }

    [Fact]
    public void Help_DescribesTheTool()
    {
        var (exit, output) = Run("--help");
        exit.Should().Be(0);
        output.Should().Contain("caching file system").And.Contain("--log-level");
    }

    [Fact]
    public void UnknownVerb_FailsWithMessage()
    {
        var error = new StringWriter();
        var exit = CommandLine.Build().Parse(["frobnicate"]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        exit.Should().NotBe(0);
        error.ToString().Should().Contain("frobnicate");
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var exit = CommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (exit, output.ToString());
    }
}
