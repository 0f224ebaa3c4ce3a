using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// Copies the write-ahead log into the database on its own thread and connection (a PASSIVE checkpoint never blocks
/// the writer), so no namespace change waits for a checkpoint's reads, writes and fsync.
/// </summary>
/// <remarks>
/// SQLite starts the log over only when a commit begins with the whole log copied. Under a steady stream of commits the
/// writer is always a few frames ahead of a checkpoint, so that never happened: the log grew by every commit (1.6 GB in
/// a minute of renames), and each commit appended to new blocks of it, which cost ext4 block allocation and zeroing.
/// So once the log is long, the frames committed during a checkpoint are copied by a second one with the writer held
/// back (<c>writeLock</c>, the journal's innermost lock), and the next commit writes the log from its start again.
/// </remarks>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>Commits between checkpoints; a few hundred keeps the log a few MB at most.</summary>
    private const int CommitsPerCheckpoint = 256;

    /// <summary>Frames (pages) in the log past which it is made to start over: about 4 MB.</summary>
    private const long RestartFrames = 1024;

    private readonly Lock _writeLock;

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly AutoResetEvent _wake = new(initialState: false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _commits;

    public Checkpointer(SqliteConnection connection, Lock writeLock)
    {
        _connection = connection;
        _writeLock = writeLock;
        _thread = new Thread(Run) { IsBackground = true, Name = "cachefs-checkpoint" };
        _thread.Start();
    }

    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) % CommitsPerCheckpoint == 0)
            _wake.Set();
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _connection.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        using var checkpoint = _connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (!_stopping)
        {
            _wake.WaitOne(IdleCheck);
            if (_stopping || Interlocked.Exchange(ref _commits, 0) == 0)
                continue;
            try
            {
                var (log, _) = Checkpoint(checkpoint);
                if (log >= RestartFrames)
                {
                    lock (_writeLock)
                        Checkpoint(checkpoint);
                }
            }
            catch (SqliteException)
            {
                // Busy or the disk is full: the frames stay in the log, safe, and the next round tries again.
            }
        }
    }

    /// <summary>One checkpoint: the frames in the log and how many of them are now in the database.</summary>
    private static (long Log, long Copied) Checkpoint(SqliteCommand checkpoint)
    {
        using var reader = checkpoint.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }
}
