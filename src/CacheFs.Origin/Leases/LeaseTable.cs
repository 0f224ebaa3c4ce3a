using CacheFs.Protocol;

namespace CacheFs.Origin.Leases;

/// <summary>Who holds which lease, by node and by id. Only touched under the gate.</summary>
internal sealed class LeaseTable
{
    private readonly Dictionary<long, List<Lease>> _byNode = [];
    private readonly Dictionary<string, Lease> _byId = new(StringComparer.Ordinal);

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
    }

    public void Remove(Lease lease)
    {
        _byId.Remove(lease.Id);
        if (_byNode.TryGetValue(lease.NodeId, out var leases) && leases.Remove(lease) && leases.Count == 0)
            _byNode.Remove(lease.NodeId);
    }

    public List<Lease> OfSession(string sessionId) => [.. _byId.Values.Where(l => l.SessionId == sessionId)];

    public void RemoveNode(long nodeId)
    {
        foreach (var lease in OnNode(nodeId).ToList())
            Remove(lease);
    }

    public int Count => _byId.Count;
}
