namespace CacheFs.Cli.Tests.Mount;

/// <summary>Waits for a condition by checking it again and again, with a bound; tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                return false;
            await Task.Delay(20);
        }

        return true;
    }
}
