namespace CacheFs.Sync.Tests.Harness;

internal static class TestData
{
    /// <summary>Reproducible random bytes: each seed its own content.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
