using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>
/// Divergences the model-based test found, each kept twice: the failing seed (valid for the generator as it is now) and
/// the minimal steps written out, which stay meaningful when the generator changes.
/// </summary>
public sealed class VolumeModelRegressionTests
{
    /// <summary>Seeds that once diverged from the model, with what was wrong.</summary>
    [Theory]
    [InlineData(305, true)] // rename NoReplace onto another name of the same file reported Ok
    [InlineData(331, false)] // the same, on a case-insensitive volume
    public void RegressionSeed_Replayed_MatchesModel(int seed, bool caseSensitive) =>
        VolumeModelTests.RunOne(seed, caseSensitive, VolumeModelTests.DefaultSteps);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rename_NoReplaceOntoAnotherNameOfTheSameFile_ReturnsExistsAsTheModel(bool caseSensitive)
    {
        using var t = new TestVolume(caseSensitive);
        var model = new NamespaceModel(caseSensitive);
        var id = t.MakeFile("a", "content"u8.ToArray());
        t.Volume.Link(id, NodeIds.Root, "b").Status.Should().Be(FsStatus.Ok);
        var file = model.Create(model.Root, "a", OpenFlags.ReadWrite, exclusive: true).Value;
        model.Release(file);
        model.Link(file.Node, model.Root, "b").Should().Be(FsStatus.Ok);

        var expected = model.Rename(model.Root, "a", model.Root, "b", RenameMode.NoReplace);
        t.Volume.Rename(NodeIds.Root, "a", NodeIds.Root, "b", RenameMode.NoReplace).Should().Be(expected);
        expected.Should().Be(FsStatus.Exists, "RENAME_NOREPLACE refuses any existing target, even another link of the source");
        t.List().Should().BeEquivalentTo(["a", "b"], "a refused rename changes nothing");
        t.Volume.GetAttributes(id).Value.LinkCount.Should().Be(2);
    }
}
