using CacheFs.Protocol;

namespace CacheFs.Origin.Leases;

/// <summary>Who holds which lease, by node and by id. Only touched under the gate.</summary>
internal sealed class LeaseTable
{
    private readonly Dictionary<long, List<Lease>> _byNode = [];
    private readonly Dictionary<string, Lease> _byId = new(StringComparer.Ordinal);

    /// <summary>
    /// Called when a write lease is added (true) or removed (false), still under the gate, so whoever is told hears of
    /// the changes in the order they happened.
    /// </summary>
    public Action<Lease, bool>? WriterChanged { get; set; }

    public IReadOnlyList<Lease> OnNode(long nodeId) => _byNode.TryGetValue(nodeId, out var leases) ? leases : [];

    public Lease? Writer(long nodeId) => OnNode(nodeId).FirstOrDefault(l => l.Mode == LeaseMode.Write);

    public Lease? Find(string leaseId) => _byId.GetValueOrDefault(leaseId);

    public Lease? Held(long nodeId, string sessionId) => OnNode(nodeId).FirstOrDefault(l => l.SessionId == sessionId);

    public void Add(Lease lease)
    {
        if (!_byNode.TryGetValue(lease.NodeId, out var leases))
            _byNode[lease.NodeId] = leases = [];
        leases.Add(lease);
        _byId[lease.Id] = lease;
        if (lease.Mode == LeaseMode.Write)
            WriterChanged?.Invoke(lease, true);
    }

    public void Remove(Lease lease)
    {
        if (!_byId.Remove(lease.Id))
            return;
        if (_byNode.TryGetValue(lease.NodeId, out var leases) && leases.Remove(lease) && leases.Count == 0)
            _byNode.Remove(lease.NodeId);
        if (lease.Mode == LeaseMode.Write)
            WriterChanged?.Invoke(lease, false);
    }

    /// <summary>The nodes a write lease of a session other than <paramref name="sessionId"/> is held on.</summary>
    public long[] WrittenByOthers(string sessionId) =>
        [.. _byId.Values.Where(l => l.Mode == LeaseMode.Write && l.SessionId != sessionId).Select(l => l.NodeId).Distinct()];

    public List<Lease> OfSession(string sessionId) => [.. _byId.Values.Where(l => l.SessionId == sessionId)];

    public void RemoveNode(long nodeId)
    {
        foreach (var lease in OnNode(nodeId).ToList())
            Remove(lease);
    }

    public int Count => _byId.Count;
}
