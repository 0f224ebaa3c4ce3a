using CacheFs.Protocol;

namespace CacheFs.Origin.Leases;

/// <summary>A lease one session holds on one node (by id, so a rename keeps it). Read leases carry epoch 0.</summary>
internal sealed record Lease(string Id, string SessionId, string ClientName, long NodeId, LeaseMode Mode, long Epoch);
