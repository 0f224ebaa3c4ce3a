using CacheFs.Names;

namespace CacheFs.Tests.Names;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("/")]
    [InlineData("a/b")]
    [InlineData("a/")]
    [InlineData("/a")]
    [InlineData("a\0b")]
    [InlineData("\0")]
    public void Validate_BadName_InvalidName(string name) =>
        NameRules.Validate(name).Should().Be(FsStatus.InvalidName);

    [Fact]
    public void Validate_Null_InvalidName() => NameRules.Validate(null).Should().Be(FsStatus.InvalidName);

    [Theory]
    [InlineData("a")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("..x")]
    [InlineData("x..")]
    [InlineData(" ")]
    [InlineData("back\\slash")]
    [InlineData("colon:star*?")]
    [InlineData("tab\tnewline\n")]
    [InlineData("Grüße 🎬.mp4")]
    public void Validate_OrdinaryName_Ok(string name) => NameRules.Validate(name).Should().Be(FsStatus.Ok);

    [Fact]
    public void Validate_255AsciiBytes_Ok() => NameRules.Validate(new string('a', 255)).Should().Be(FsStatus.Ok);

    [Fact]
    public void Validate_256AsciiBytes_NameTooLong() =>
        NameRules.Validate(new string('a', 256)).Should().Be(FsStatus.NameTooLong);

    [Fact]
    public void Validate_TwoByteCharsAt255Bytes_Ok() =>
        NameRules.Validate(new string('é', 127) + "a").Should().Be(FsStatus.Ok); // 254 + 1 bytes, 128 chars

    [Fact]
    public void Validate_TwoByteCharCrossing255Bytes_NameTooLong() =>
        NameRules.Validate(new string('é', 128)).Should().Be(FsStatus.NameTooLong); // 256 bytes in 128 chars

    [Fact]
    public void Validate_ThreeByteCharsExactly255Bytes_Ok() =>
        NameRules.Validate(new string('€', 85)).Should().Be(FsStatus.Ok);

    [Fact]
    public void Validate_ThreeByteCharsOneMore_NameTooLong() =>
        NameRules.Validate(new string('€', 85) + "a").Should().Be(FsStatus.NameTooLong); // 256 bytes in 86 chars

    [Fact]
    public void Validate_FourByteCharsAt255Bytes_Ok() =>
        NameRules.Validate(string.Concat(Enumerable.Repeat("🎬", 63)) + "abc").Should().Be(FsStatus.Ok); // 252 + 3

    [Fact]
    public void Validate_FourByteCharsPast255Bytes_NameTooLong() =>
        NameRules.Validate(string.Concat(Enumerable.Repeat("🎬", 64))).Should().Be(FsStatus.NameTooLong); // 256 bytes in 128 UTF-16 units

    [Fact]
    public void Validate_NulInLongName_InvalidNameBeforeLength() =>
        NameRules.Validate(new string('a', 300) + "\0").Should().Be(FsStatus.InvalidName);

    [Fact]
    public void Validate_LoneSurrogate_InvalidName()
    {
        // UTF-8 cannot hold one: stored, it would come back as U+FFFD and alias every other such name.
        foreach (var name in new[] { "a\uD800", "\uDC00b", "x\uDC00\uD800y", "\uD83C" })
            NameRules.Validate(name).Should().Be(FsStatus.InvalidName, "U+{0:X4} alone is not a character", (int)name.First(char.IsSurrogate));
    }

    [Fact]
    public void Validate_SurrogatePair_Ok() => NameRules.Validate("clip\uD83C\uDFAC.mp4").Should().Be(FsStatus.Ok);

    [Fact]
    public void Fold_Sensitive_KeepsSpelling()
    {
        NameRules.Sensitive.CaseSensitive.Should().BeTrue();
        NameRules.Sensitive.Fold("Report.DOC").Should().Be("Report.DOC");
    }

    [Fact]
    public void Fold_Insensitive_UpperCasesAscii()
    {
        NameRules.Insensitive.CaseSensitive.Should().BeFalse();
        NameRules.Insensitive.Fold("Report.doc").Should().Be("REPORT.DOC");
        NameRules.Insensitive.Fold("report.DOC").Should().Be(NameRules.Insensitive.Fold("REPORT.doc"));
    }

    [Theory]
    [InlineData("é", "É")]
    [InlineData("straßenbahn", "STRAßENBAHN")]
    [InlineData("Ωmega", "ωMEGA")]
    [InlineData("файл", "ФАЙЛ")]
    public void Fold_InsensitiveNonAscii_SameKey(string a, string b) =>
        NameRules.Insensitive.Fold(a).Should().Be(NameRules.Insensitive.Fold(b));

    [Fact]
    public void Fold_InsensitiveDifferentNames_DifferentKeys() =>
        NameRules.Insensitive.Fold("a1").Should().NotBe(NameRules.Insensitive.Fold("a2"));
}
