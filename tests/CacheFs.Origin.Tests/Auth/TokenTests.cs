using System.Net;
using CacheFs.Origin.Auth;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Auth;

public sealed class TokenTests
{
    [Fact]
    public void Hash_IsLowerCaseHexSha256()
    {
        OriginToken.Hash("abc").Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void TokensFile_ParsesNamesAndHashes_SkippingCommentsAndBlanks()
    {
        var tokens = OriginTokensFile.Parse(["# clients", "", $"ws-001 {OriginToken.Hash("one")}", $"  ws-002   {OriginToken.Hash("two").ToUpperInvariant()}  "], "tokens");
        tokens.Select(t => t.ClientName).Should().Equal("ws-001", "ws-002");
        new TokenStore(tokens).ClientOf("two").Should().Be("ws-002");
        new TokenStore(tokens).ClientOf("three").Should().BeNull();
    }

    [Theory]
    [InlineData("ws-001")]
    [InlineData("ws-001 nothex")]
    [InlineData("ws-001 abc def")]
    public void TokensFile_MalformedLine_NamesTheLine(string line)
    {
        var act = () => OriginTokensFile.Parse(["# ok", line], "tokens");
        act.Should().Throw<FormatException>().WithMessage("tokens:2:*");
    }

    [Fact]
    public void TokensFile_RepeatedClient_IsRefused()
    {
        var act = () => OriginTokensFile.Parse([$"a {OriginToken.Hash("1")}", $"a {OriginToken.Hash("2")}"], "tokens");
        act.Should().Throw<FormatException>().WithMessage("*twice*");
    }

    [Fact]
    public async Task EachClientsOwnToken_IsAccepted()
    {
        await using var origin = await TestOrigin.StartAsync();
        using var other = origin.NewClient("other-token");
        (await other.ListAsync()).Directory.Id.Should().Be(1);
        using var spaced = origin.NewClient("other-token ");
        (await spaced.Http.GetAsync($"{Routes.List}?path=")).StatusCode.Should().Be(HttpStatusCode.OK, "surrounding spaces of the header value are not part of the token");
    }
}
