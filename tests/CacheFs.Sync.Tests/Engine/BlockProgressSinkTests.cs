using CacheFs.Remote;
using CacheFs.Sync.Engine;

namespace CacheFs.Sync.Tests.Engine;

public sealed class BlockProgressSinkTests
{
    private const long Block = 100;

    [Fact]
    public async Task Write_InOrder_EachBlockCompletesOnceItsBytesAreStored()
    {
        var blocks = Blocks(4, 3);
        var sink = new BlockProgressSink(new CountingSink(), blocks, Block, end: 650);

        sink.Write(400, new byte[150]).Should().Be(FsStatus.Ok);
        Completed(blocks).Should().Equal(true, false, false);

        sink.Write(550, new byte[50]).Should().Be(FsStatus.Ok);
        Completed(blocks).Should().Equal(true, true, false);

        sink.Write(600, new byte[50]).Should().Be(FsStatus.Ok);
        Completed(blocks).Should().Equal([true, true, true], "the last block ends where the file does");
        (await Task.WhenAll(blocks.Select(b => b.Done.Task))).Should().AllBeEquivalentTo(FsStatus.Ok);
    }

    [Fact]
    public void Write_WithAGapBeforeIt_CompletesNothingPastTheGap()
    {
        var blocks = Blocks(0, 2);
        var sink = new BlockProgressSink(new CountingSink(), blocks, Block, end: 200);

        sink.Write(100, new byte[100]).Should().Be(FsStatus.Ok);

        Completed(blocks).Should().Equal(false, false);
    }

    [Fact]
    public void Write_RefusedByTheCache_CompletesNothing()
    {
        var blocks = Blocks(0, 1);
        var sink = new BlockProgressSink(new CountingSink { Answer = FsStatus.NoSpace }, blocks, Block, end: 100);

        sink.Write(0, new byte[100]).Should().Be(FsStatus.NoSpace);

        Completed(blocks).Should().Equal(false);
    }

    private static List<BlockFetch> Blocks(long first, int count) => [.. Enumerable.Range(0, count).Select(i => new BlockFetch(first + i))];

    private static bool[] Completed(List<BlockFetch> blocks) => [.. blocks.Select(b => b.Done.Task.IsCompleted)];

    private sealed class CountingSink : IContentSink
    {
        public FsStatus Answer { get; init; } = FsStatus.Ok;

        public FsStatus Write(long offset, ReadOnlySpan<byte> data) => Answer;

        public bool IsPresent(long offset, long length) => false;
    }
}
