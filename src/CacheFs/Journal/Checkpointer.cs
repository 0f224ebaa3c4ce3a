using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// Copies the write-ahead log into the database on its own thread and connection (a PASSIVE checkpoint never blocks
/// the writer), so no namespace change waits for a checkpoint's reads, writes and fsync.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>Commits between checkpoints; a few hundred keeps the log a few MB at most.</summary>
    private const int CommitsPerCheckpoint = 256;

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly AutoResetEvent _wake = new(initialState: false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _commits;

    public Checkpointer(SqliteConnection connection)
    {
        _connection = connection;
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
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Busy or the disk is full: the frames stay in the log, safe, and the next round tries again.
            }
        }
    }
}
