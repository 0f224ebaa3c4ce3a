using CacheFs.Origin.Auth;
using CacheFs.Origin.Content;
using CacheFs.Origin.Events;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Locks;
using CacheFs.Origin.Namespace;
using CacheFs.Origin.Sessions;
using CacheFs.Origin.Storage;
using Microsoft.Data.Sqlite;
using Serilog;

namespace CacheFs.Origin.Hosting;

/// <summary>Every part of a running origin, made in dependency order from the options, and disposed in reverse.</summary>
internal sealed class OriginParts : IDisposable
{
    private readonly LeaseTable _leaseTable = new();

    private OriginParts(OriginOptions options, string root, StateDirectory state, OriginDatabase database, ILogger log)
    {
        var time = options.Time;
        State = state;
        Database = database;
        Tokens = new TokenStore(options.Tokens);
        Paths = PathPolicy.For(root, state.Path);
        Disk = new Disk(root, state.Uploads);
        Events = new EventHub();
        _leaseTable.WriterChanged = (lease, taken) => Events.PublishLease(lease.SessionId, lease.NodeId, taken);
        Locks = new LockService(time, options.LockWaitLimit);
        Sessions = new SessionService(new SessionTable(), _leaseTable, Locks, Events, Gate, database, time, options.LeaseTtl, log);
        Leases = new LeaseService(_leaseTable, Sessions, Events, Gate, database, log);
        Tree = new OriginTree(database, Disk, Paths, Gate, Events, Sessions, time);
        Creation = new Creation(Tree);
        Renaming = new Renaming(Tree, Leases);
        Removal = new Removal(Tree, Leases);
        Attributes = new Attributes(Tree, Leases);
        Reader = new ContentReader(Tree);
        Upload = new Upload(Tree, Leases);
        Stream = new EventStream(Tree, Events, Sessions, _leaseTable, Gate, time, options.KeepAliveInterval);
        TreeImport.Run(database, Disk, Paths, Tree.NowNs, log);
        Sweeper = new SessionSweeper(Sessions, time, log);
    }

    public StateDirectory State { get; }
    public OriginDatabase Database { get; }
    public OriginGate Gate { get; } = new();
    public TokenStore Tokens { get; }
    public PathPolicy Paths { get; }
    public Disk Disk { get; }
    public EventHub Events { get; }
    public LockService Locks { get; }
    public SessionService Sessions { get; }
    public LeaseService Leases { get; }
    public OriginTree Tree { get; }
    public Creation Creation { get; }
    public Renaming Renaming { get; }
    public Removal Removal { get; }
    public Attributes Attributes { get; }
    public ContentReader Reader { get; }
    public Upload Upload { get; }
    public EventStream Stream { get; }
    public SessionSweeper Sweeper { get; }

    public static OriginParts Open(OriginOptions options, ILogger log)
    {
        if (options.Tokens.Count == 0)
            throw new OriginStartException(OriginStartError.NoTokens, "The origin needs at least one token (--token or --tokens-file)");
        if (options.LeaseTtl <= TimeSpan.Zero || options.LockWaitLimit < TimeSpan.Zero || options.KeepAliveInterval <= TimeSpan.Zero)
            throw new OriginStartException(OriginStartError.InvalidOptions, "The lease TTL and keep-alive interval must be positive");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Root));
        if (File.Exists(root))
            throw new OriginStartException(OriginStartError.RootNotDirectory, $"The root {root} is a file, not a directory");
        if (!Directory.Exists(root))
            throw new OriginStartException(OriginStartError.RootMissing, $"The root directory {root} does not exist");

        var state = StateDirectory.Open(root, options.ResolvedStateDirectory);
        OriginDatabase? database = null;
        try
        {
            database = OriginDatabase.Open(state.Path);
            return new OriginParts(options, root, state, database, log);
        }
        catch (SqliteException e)
        {
            database?.Dispose();
            state.Dispose();
            throw new OriginStartException(OriginStartError.StateUnusable, $"The origin database in {state.Path} cannot be used: {e.Message}", e);
        }
        catch
        {
            database?.Dispose();
            state.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Sweeper.Dispose();
        Database.Dispose();
        Gate.Dispose();
        State.Dispose();
    }
}
