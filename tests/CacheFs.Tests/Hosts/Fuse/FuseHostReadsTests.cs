using System.Runtime.Versioning;
using CacheFs.Hosts.Fuse;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>Reads that wait for the origin are answered from the fetch's continuation, not by a worker that waits.</summary>
[SupportedOSPlatform("linux")]
public sealed class FuseHostReadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>With a single libfuse worker, a read that blocked its thread would stop every other request.</summary>
    [Fact]
    public async Task Read_WaitingForTheOrigin_LeavesTheOnlyWorkerFree()
    {
        using var fx = new FuseMountFixture(new FuseMountOptions { MaxThreads = 1 });
        var origin = new FakeOrigin { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        fx.Volume.Volume.Fetcher = origin;
        var content = VolumeContent(300_000);
        origin.Put(fx.Volume.Volume, "slow", content, originId: 7);
        File.WriteAllText(Path.Combine(fx.MountPoint, "local"), "here");

        var reading = Task.Run(() => File.ReadAllBytes(Path.Combine(fx.MountPoint, "slow")));
        await origin.Fetching.Task.WaitAsync(Patience);
        var other = await Task.Run(() => File.ReadAllText(Path.Combine(fx.MountPoint, "local"))).WaitAsync(Patience);
        var listed = await Task.Run(() => Directory.GetFileSystemEntries(fx.MountPoint).Length).WaitAsync(Patience);

        other.Should().Be("here");
        listed.Should().Be(2);
        reading.IsCompleted.Should().BeFalse("the origin has not answered yet");
        origin.Gate.SetResult();
        (await reading.WaitAsync(Patience)).Should().Equal(content);
    }

    [Fact]
    public async Task Read_OriginFails_AnswersTheError()
    {
        using var fx = new FuseMountFixture();
        var origin = new FakeOrigin { Failure = FsStatus.ContentUnavailable };
        fx.Volume.Volume.Fetcher = origin;
        origin.Put(fx.Volume.Volume, "f", VolumeContent(10_000), originId: 7);

        var read = () => File.ReadAllBytes(Path.Combine(fx.MountPoint, "f"));

        (await Task.Run(() => read.Should().Throw<IOException>()).WaitAsync(Patience)).Which.Message.Should().Contain("No route to host");
    }

    [Fact]
    public async Task Read_ManyAtOnceWaitingForTheOrigin_EachGetsItsBytes()
    {
        using var fx = new FuseMountFixture(new FuseMountOptions { MaxThreads = 2 });
        var origin = new FakeOrigin { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        fx.Volume.Volume.Fetcher = origin;
        var files = Enumerable.Range(0, 8).Select(i => (Name: $"f{i}", Content: VolumeContent(50_000 + i, seed: i))).ToArray();
        foreach (var (name, content) in files)
            origin.Put(fx.Volume.Volume, name, content, originId: 100 + name[1]);

        var reads = files.Select(f => Task.Run(() => File.ReadAllBytes(Path.Combine(fx.MountPoint, f.Name)))).ToArray();
        await origin.Fetching.Task.WaitAsync(Patience);
        origin.Gate.SetResult();

        var results = await Task.WhenAll(reads).WaitAsync(Patience);
        for (var i = 0; i < files.Length; i++)
            results[i].Should().Equal(files[i].Content);
    }

    private static byte[] VolumeContent(int length, int seed = 1) => Volume.VolumeTestExtensions.Bytes(length, seed);
}
