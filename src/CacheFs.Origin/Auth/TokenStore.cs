using System.Security.Cryptography;
using System.Text;

namespace CacheFs.Origin.Auth;

/// <summary>
/// Checks a presented bearer token against the stored hashes: the token is hashed once and compared with every entry
/// in constant time, so neither the timing nor an early exit tells how close a guess was.
/// </summary>
internal sealed class TokenStore(IReadOnlyList<OriginToken> tokens)
{
    /// <summary>The client the token belongs to, or null.</summary>
    public string? ClientOf(string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        string? client = null;
        foreach (var entry in tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Sha256))
                client ??= entry.ClientName;
        }

        return client;
    }
}
