using CacheFs.Sync.Engine;

namespace CacheFs.Sync.Tests.Engine;

public sealed class ConflictNamesTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 21, 14, 30, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("report.docx", "report (conflict ws-042 2026-11-21 143005).docx")]
    [InlineData("a/b/report.docx", "a/b/report (conflict ws-042 2026-11-21 143005).docx")]
    [InlineData("Makefile", "Makefile (conflict ws-042 2026-11-21 143005)")]
    [InlineData(".bashrc", ".bashrc (conflict ws-042 2026-11-21 143005)")]
    [InlineData("archive.tar.gz", "archive.tar (conflict ws-042 2026-11-21 143005).gz")]
    [InlineData("v1.2/notes", "v1.2/notes (conflict ws-042 2026-11-21 143005)")]
    [InlineData("dir/.hidden.txt", "dir/.hidden (conflict ws-042 2026-11-21 143005).txt")]
    public void For_Names_ClientAndUtcSecondBeforeTheExtension(string path, string expected) =>
        ConflictNames.For(path, "ws-042", When).Should().Be(expected);

    [Fact]
    public void For_ANameTakenAlready_TheNextAttemptIsNumbered()
    {
        ConflictNames.For("dir/a.txt", "ws", When, attempt: 1).Should().Be("dir/a (conflict ws 2026-11-21 143005).txt");
        ConflictNames.For("dir/a.txt", "ws", When, attempt: 2).Should().Be("dir/a (conflict ws 2026-11-21 143005 2).txt");
    }

    [Fact]
    public void For_LocalTimeWithAnOffset_StampedInUtc() =>
        ConflictNames.For("a.txt", "ws", new DateTimeOffset(2026, 11, 21, 15, 30, 5, 999, TimeSpan.FromHours(1)))
            .Should().Be("a (conflict ws 2026-11-21 143005).txt");

    [Theory]
    [InlineData("my pc/1:2", "my-pc-1-2")]
    [InlineData("ws_7.lab", "ws_7.lab")]
    [InlineData("poste-é", "poste-é")]
    public void For_ClientNames_OnlySafeCharactersKept(string client, string spelled)
    {
        var name = ConflictNames.For("dir/a.txt", client, When);

        name.Should().Be($"dir/a (conflict {spelled} 2026-11-21 143005).txt");
        name.Count(c => c == '/').Should().Be(1, "a client name never adds a directory");
    }
}
