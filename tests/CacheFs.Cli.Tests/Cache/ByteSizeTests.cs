using CacheFs.Cli.Cache;

namespace CacheFs.Cli.Tests.Cache;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4096", 4096L)]
    [InlineData("500M", 500L << 20)]
    [InlineData("10G", 10L << 30)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("2k", 2048L)]
    [InlineData(" 1T ", 1L << 40)]
    public void TryParse_Sizes_Bytes(string text, long expected)
    {
        ByteSize.TryParse(text, out var bytes).Should().BeTrue();
        bytes.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1G")]
    [InlineData("10X")]
    [InlineData("G")]
    [InlineData("1e30T")]
    public void TryParse_Nonsense_False(string text) => ByteSize.TryParse(text, out _).Should().BeFalse();

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(3L << 20, "3.0 MiB")]
    [InlineData(3_000_000L, "2.86 MiB")]
    [InlineData(66L << 20, "66 MiB")]
    public void Format_Bytes_Readable(long bytes, string expected) => ByteSize.Format(bytes).Should().Be(expected);
}
