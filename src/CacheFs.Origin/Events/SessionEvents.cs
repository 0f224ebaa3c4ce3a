using System.Threading.Channels;
using CacheFs.Protocol;

namespace CacheFs.Origin.Events;

/// <summary>
/// One session's queue of events. Lease breaks and revocations wait here until a stream takes them, even if none is
/// connected yet; change events are queued only while a stream is attached (a stream that attaches later replays the
/// change log from its cursor instead). A new stream for the session replaces the old one.
/// </summary>
internal sealed class SessionEvents : IDisposable
{
    private readonly Channel<OriginEvent> _channel = Channel.CreateUnbounded<OriginEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private CancellationTokenSource? _stream;

    public bool Attached { get; private set; }

    public ChannelReader<OriginEvent> Reader => _channel.Reader;

    public void Send(OriginEvent e) => _channel.Writer.TryWrite(e);

    /// <summary>Attaches a stream, ending the previous one; the token is cancelled when this stream is replaced or the session ends.</summary>
    public CancellationToken Attach()
    {
        lock (_sync)
        {
            _stream?.Cancel();
            _stream?.Dispose();
            _stream = new CancellationTokenSource();
            Attached = true;
            return _stream.Token;
        }
    }

    public void Detach(CancellationToken token)
    {
        lock (_sync)
        {
            if (_stream is not null && _stream.Token == token)
            {
                _stream.Dispose();
                _stream = null;
                Attached = false;
            }
        }
    }

    /// <summary>The session ended: what is queued can still be read, then the stream ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        lock (_sync)
        {
            _stream?.Dispose();
            _stream = null;
            Attached = false;
        }
    }
}
