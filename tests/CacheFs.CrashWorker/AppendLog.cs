using System.Security.Cryptography;

namespace CacheFs.CrashWorker;

/// <summary>One append-only log: an open append handle, the bytes written so far and their running hash.</summary>
internal sealed class AppendLog(string name, long id, ulong handle) : IDisposable
{
    public string Name { get; } = name;

    public long Id { get; } = id;

    public ulong Handle { get; } = handle;

    public long Length { get; set; }

    public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string CurrentHash() => Convert.ToHexStringLower(Hash.GetCurrentHash());

    public void Dispose() => Hash.Dispose();
}
