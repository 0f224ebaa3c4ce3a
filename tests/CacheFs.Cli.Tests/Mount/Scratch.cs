namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// A temporary root holding a mount point and a cache directory for one test. Disposing detaches anything still
/// mounted under it before deleting it, so a failed test never leaves a mount behind nor deletes through one.
/// </summary>
internal sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Root = Directory.CreateTempSubdirectory("cachefs-cli-").FullName;
        MountPoint = Directory.CreateDirectory(System.IO.Path.Combine(Root, "mnt")).FullName;
        Cache = System.IO.Path.Combine(Root, "cache");
    }

    public string Root { get; }

    public string MountPoint { get; }

    public string Cache { get; }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public void Dispose()
    {
        if (Mounts.ForceUnmountAll(Root))
            Directory.Delete(Root, recursive: true);
    }
}
