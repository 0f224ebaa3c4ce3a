namespace CacheFs.Sync.Tests.Harness;

/// <summary>Waits for a condition by checking it again and again, with a bound; tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int seconds = 20)
    {
        var deadline = Environment.TickCount64 + (seconds * 1000L);
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                return false;
            await Task.Delay(20);
        }

        return true;
    }
}
