using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Content;

/// <summary>
/// Content objects: one file per file id under <c>objects/</c>, never stored by path, so a rename never moves a byte.
/// Objects are sparse where the file is sparse.
/// </summary>
internal sealed class ContentStore
{
    private const string ObjectsFolder = "objects";
    private const int FolderCount = 256;

    public ContentStore(string cacheDirectory)
    {
        Root = Path.Combine(cacheDirectory, ObjectsFolder);
        CreateFolders(cacheDirectory);
    }

    public string Root { get; }

    /// <summary>objects/&lt;last two hex digits&gt;/&lt;id&gt;: 256 folders keep any one folder small.</summary>
    public string PathOf(long id) =>
        Path.Combine(Root, (id & 0xff).ToString("x2", CultureInfo.InvariantCulture), id.ToString(CultureInfo.InvariantCulture));

    public bool Exists(long id) => File.Exists(PathOf(id));

    /// <summary>Opens the object for reading and writing, creating it (empty) when <paramref name="create"/>.</summary>
    public SafeFileHandle? Open(long id, bool create)
    {
        var path = PathOf(id);
        if (create)
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException) when (!create)
        {
            return null;
        }
        catch (DirectoryNotFoundException) when (!create)
        {
            return null;
        }
    }

    /// <summary>Deletes the object if there is one: a file that was never written has none, and maybe no bucket folder either.</summary>
    public void Delete(long id)
    {
        try
        {
            File.Delete(PathOf(id));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete; File.Delete only forgives a missing file, not a missing folder.
        }
    }

    /// <summary>
    /// Every object folder exists from the start, and its name is durable: fsync of a new object then only has to sync the
    /// object's own folder. A folder made on first use and never synced into objects/ could vanish in a power cut, taking
    /// an fsynced object with it.
    /// </summary>
    private void CreateFolders(string cacheDirectory)
    {
        Directory.CreateDirectory(Root);
        for (var folder = 0; folder < FolderCount; folder++)
            Directory.CreateDirectory(Path.Combine(Root, folder.ToString("x2", CultureInfo.InvariantCulture)));
        NativeFile.SyncDirectory(Root);
        NativeFile.SyncDirectory(cacheDirectory);
    }

    /// <summary>Every object id on disk, whatever the journal says: recovery compares the two.</summary>
    public IEnumerable<(long Id, string Path)> Enumerate()
    {
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (long.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    yield return (id, file);
                else
                    yield return (-1, file);
            }
        }
    }
}
