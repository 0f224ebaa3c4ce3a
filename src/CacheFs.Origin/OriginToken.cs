using System.Security.Cryptography;
using System.Text;

namespace CacheFs.Origin;

/// <summary>
/// One client's bearer token, kept only as its SHA-256: the origin never stores a token it could leak. A token file
/// line is <c>&lt;client-name&gt; &lt;sha256-hex&gt;</c>; <see cref="Hash"/> makes the hex for an admin.
/// </summary>
public sealed record OriginToken(string ClientName, byte[] Sha256)
{
    public static OriginToken FromSecret(string clientName, string token) => new(clientName, SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static OriginToken FromHex(string clientName, string sha256Hex) =>
        sha256Hex.Length == 64 && sha256Hex.All(char.IsAsciiHexDigit)
            ? new(clientName, Convert.FromHexString(sha256Hex))
            : throw new FormatException($"'{sha256Hex}' is not a SHA-256 in hex (64 hex digits)");

    /// <summary>The lower-case hex SHA-256 of a token, as a tokens file holds it.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
