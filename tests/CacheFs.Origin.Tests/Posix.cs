using System.Runtime.InteropServices;

namespace CacheFs.Origin.Tests;

internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string newPath);

    public static void HardLink(string existing, string newPath) =>
        Link(existing, newPath).Should().Be(0, $"link {existing} {newPath}: errno {Marshal.GetLastPInvokeError()}");
}
