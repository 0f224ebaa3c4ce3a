using CacheFs.Eviction;
using CacheFs.Tests.Volume;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>Eviction racing opens and reads: a reader always gets the file's bytes, and the journal always matches the objects.</summary>
public sealed class EvictionRaceTests
{
    [Fact]
    public void Evict_RacingReaders_EveryReadCorrect_JournalConsistent()
    {
        using var o = new OriginVolume();
        var content = VolumeTestExtensions.Bytes(200_000, 5);
        var id = o.Put("hot.bin", content);
        var evicted = 0;
        var stop = 0;

        Race.Run(3, thread =>
        {
            if (thread == 0)
            {
                // Until it has freed the file 50 times between the readers' opens (bounded, so a starved evictor fails).
                for (var i = 0; i < 200_000 && evicted < 50; i++)
                    evicted += o.Volume.Evict(new EvictionRequest()).Value.Freed.Count;
                Volatile.Write(ref stop, 1);
                return;
            }

            var random = new Random(thread);
            while (Volatile.Read(ref stop) == 0)
            {
                var h = o.Volume.OpenHandle(id, OpenFlags.Read);
                var offset = random.Next(content.Length);
                var length = random.Next(1, 20_000);
                var read = o.Volume.ReadAt(h, offset, length);
                read.Should().Equal(content.AsSpan(offset, Math.Min(length, content.Length - offset)).ToArray());
                o.Volume.Release(h).Ok();
                Thread.Yield();
            }
        });

        evicted.Should().Be(50, "eviction got its turns between the reads");
        o.Volume.Verify().Problems.Should().BeEmpty();
        o.Volume.ReadAll(id).Should().Equal(content);
        o.Test.Reopen();
        o.Volume.LastRecovery.MissingContentMarked.Should().Be(0);
        o.Volume.LastRecovery.OrphanObjectsRemoved.Should().Be(0);
    }
}
