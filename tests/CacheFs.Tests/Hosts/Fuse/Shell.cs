using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>Runs ordinary programs (ln, stat, setfattr, fallocate …) against the mount, and the odd libc call .NET lacks.</summary>
internal static partial class Shell
{
    private const int AtFdCwd = -100;

    public static (int ExitCode, string Output, string Error) Run(string command, string? directory = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    /// <summary>Runs <paramref name="command"/> and returns its trimmed output; fails the test if it fails.</summary>
    public static string Ok(string command, string? directory = null)
    {
        var (code, output, error) = Run(command, directory);
        code.Should().Be(0, $"`{command}` should succeed, but said: {error}");
        return output.Trim();
    }

    public static bool Exists(string program) => Run($"command -v {program}").ExitCode == 0;

    /// <summary>renameat2(2): 0, or the errno.</summary>
    public static int Rename2(string from, string to, uint flags) =>
        RenameAt2(AtFdCwd, from, AtFdCwd, to, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>name_to_handle_at(2): the kernel's file handle of a path (struct file_handle, header included).</summary>
    public static unsafe byte[] NameToHandle(string path)
    {
        const int maxHandle = 128; // MAX_HANDLE_SZ
        var handle = new byte[8 + maxHandle];
        BitConverter.TryWriteBytes(handle, (uint)maxHandle).Should().BeTrue();
        int mountId;
        fixed (byte* bytes = handle)
            NameToHandleAt(AtFdCwd, path, bytes, &mountId, 0).Should().Be(0, $"name_to_handle_at failed with errno {Marshal.GetLastPInvokeError()}");
        return handle[..(8 + (int)BitConverter.ToUInt32(handle))];
    }

    /// <summary>open_by_handle_at(2) on the file system mounted at <paramref name="mountPoint"/>, then reads it all.</summary>
    public static unsafe string ReadByHandle(string mountPoint, byte[] handle)
    {
        const int oDirectory = 0x10000;
        var mount = Open(mountPoint, oDirectory);
        mount.Should().BeGreaterThanOrEqualTo(0);
        try
        {
            int fd;
            fixed (byte* bytes = handle)
                fd = OpenByHandleAt(mount, bytes, 0);
            fd.Should().BeGreaterThanOrEqualTo(0, $"open_by_handle_at failed with errno {Marshal.GetLastPInvokeError()}");
            using var file = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            var buffer = new byte[4096];
            return System.Text.Encoding.UTF8.GetString(buffer, 0, RandomAccess.Read(file, buffer, 0));
        }
        finally
        {
            _ = Close(mount);
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);

    [LibraryImport("libc", EntryPoint = "name_to_handle_at", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int NameToHandleAt(int directory, string path, byte* handle, int* mountId, int flags);

    [LibraryImport("libc", EntryPoint = "open_by_handle_at", SetLastError = true)]
    private static unsafe partial int OpenByHandleAt(int mountDirectory, byte* handle, int flags);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
