using CacheFs.Content;
using CacheFs.Nodes;

namespace CacheFs.Tests.Crash;

/// <summary>
/// Crash windows too narrow for a random kill to hit, opened deterministically: a failure at the point where a crash
/// could land leaves the journal exactly as that crash would, and the reopened cache must be as consistent.
/// </summary>
public sealed class CrashWindowTests
{
    [Fact]
    public void Extend_WhenTheObjectCannotBeCreated_CommitsNoSizeWithoutContent()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("sparse");
        var folder = Path.GetDirectoryName(new ContentStore(t.Directory).PathOf(id))!;

        // A file where the object's folder should be: creating the object fails, as a crash before it would stop it.
        Directory.Delete(folder, recursive: true);
        File.WriteAllBytes(folder, []);
        t.Volume.SetAttributes(id, new AttributeChanges { Size = 64 << 10 }).Status.Should().Be(FsStatus.IoError);
        File.Delete(folder);
        t.Reopen();

        t.Volume.LastRecovery.MissingContentMarked.Should().Be(0, "the journal never held a size whose object did not exist");
        t.Volume.LastRecovery.DirtyContentLost.Should().BeEmpty();
        t.Volume.GetAttributes(id).Value.Size.Should().Be(0);
        t.ReadAll(id).Should().BeEmpty();
    }
}
