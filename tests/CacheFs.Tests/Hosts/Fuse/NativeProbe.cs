using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// Compiles and runs a tiny C program against libfuse3-dev's headers that prints the value of each C expression it is
/// given, so tests can compare sizes, offsets, bit positions and constants with what the binding declares.
/// </summary>
internal static class NativeProbe
{
    /// <summary>
    /// The API level the binding speaks: the low-level API's fuse_session_loop_mt@FUSE_3.12 with the opaque config from
    /// fuse_loop_cfg_create (below 312 the header maps that name to the 3.2 variant taking the old v1 struct). 312 is the
    /// oldest level that declares exactly what we call; the 3.14 header lays out every struct we use the same way for
    /// any level from 312 on.
    /// </summary>
    public const int FuseUseVersion = 312;

    private const string Prologue = """
        #define _GNU_SOURCE
        #define FUSE_USE_VERSION @VERSION@
        #include <fuse_lowlevel.h>
        #include <errno.h>
        #include <fcntl.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mount.h>
        #include <sys/stat.h>
        #include <sys/statvfs.h>
        #include <sys/xattr.h>

        /* The absolute bit position of a fuse_file_info bit-field: set it alone, find the first non-zero bit. */
        static long long bit_of(const struct fuse_file_info *f)
        {
            const unsigned char *p = (const unsigned char *)f;
            for (size_t i = 0; i < sizeof *f; i++)
                if (p[i])
                    return (long long)(i * 8 + __builtin_ctz(p[i]));
            return -1;
        }
        #define BIT(field) ({ struct fuse_file_info f; memset(&f, 0, sizeof f); f.field = 1; bit_of(&f); })

        int main(void)
        {
        """;

    /// <summary>Each C expression's value, in the order given.</summary>
    public static IReadOnlyDictionary<string, long> Evaluate(IEnumerable<string> expressions)
    {
        var directory = Directory.CreateTempSubdirectory("cachefs-probe-").FullName;
        try
        {
            var source = new StringBuilder(Prologue.Replace("@VERSION@", FuseUseVersion.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            foreach (var expression in expressions)
                source.Append(CultureInfo.InvariantCulture, $"    printf(\"%s\\t%lld\\n\", \"{expression}\", (long long)({expression}));\n");
            source.Append("    return 0;\n}\n");
            File.WriteAllText(Path.Combine(directory, "probe.c"), source.ToString());

            Run("gcc", directory, "-Wall", "-Werror", "-I/usr/include/fuse3", "-o", "probe", "probe.c");
            var output = Run(Path.Combine(directory, "probe"), directory);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t'))
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program} (scripts/setup.sh installs gcc and libfuse3-dev).");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr.GetAwaiter().GetResult()}");
        return stdout;
    }
}
