using CacheFs.Hosts.WinFsp;
using CacheFs.Tests;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class WinFspMountTests : IDisposable
{
    private readonly TestVolume _volume = new(caseSensitive: false);

    public void Dispose() => _volume.Dispose();

    /// <summary>
    /// WinFsp's native DLL cannot load here, as on a Windows machine without WinFsp: the caller must see
    /// DllNotFoundException (the CLI's "WinFsp is not installed", exit code 21), not the TypeInitializationException
    /// WinFsp's .NET layer throws from its static constructor.
    /// </summary>
    [NotOnWindowsFact]
    public void Mount_WinFspNotLoadable_DllNotFound()
    {
        var mount = () => WinFspMount.Mount(_volume.Volume, "X:", TestVolume.Logger);

        mount.Should().Throw<DllNotFoundException>().WithInnerException<TypeInitializationException>();
    }

    private sealed class NotOnWindowsFactAttribute : FactAttribute
    {
        public NotOnWindowsFactAttribute()
        {
            if (OperatingSystem.IsWindows())
                Skip = "Windows may have WinFsp installed; the case needs a machine where its DLL cannot load.";
        }
    }
}
