using System.Collections.Concurrent;

namespace CacheFs.Tests.Concurrency;

/// <summary>Runs bodies on real threads that a barrier releases together; a body that never ends fails the test.</summary>
internal static class Race
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static void Run(params Action[] bodies) => Run(bodies.Length, i => bodies[i]());

    public static void Run(int threads, Action<int> body)
    {
        using var barrier = new Barrier(threads);
        var errors = new ConcurrentQueue<Exception>();
        var started = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var index = i;
            started[i] = new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait();
                    body(index);
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })
            {
                IsBackground = true,
                Name = $"race-{index}",
            };
            started[i].Start();
        }

        foreach (var thread in started)
            thread.Join(Deadline).Should().BeTrue("racing thread {0} must finish; it is stuck (a deadlock?)", thread.Name);
        if (!errors.IsEmpty)
            throw new AggregateException(errors);
    }
}
