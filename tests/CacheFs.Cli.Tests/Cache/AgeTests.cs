using CacheFs.Cli.Cache;

namespace CacheFs.Cli.Tests.Cache;

public sealed class AgeTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("12h", 43_200)]
    [InlineData("7d", 604_800)]
    [InlineData("2w", 1_209_600)]
    public void TryParse_Ages_Seconds(string text, double seconds)
    {
        Age.TryParse(text, out var age).Should().BeTrue();
        age.TotalSeconds.Should().Be(seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("3y")]
    [InlineData("-1h")]
    public void TryParse_Nonsense_False(string text) => Age.TryParse(text, out _).Should().BeFalse();
}
