namespace CacheFs.Protocol;

/// <summary>
/// Every route of protocol version 1. Paths travel in the <c>path</c> query parameter (see <see cref="OriginPath"/>),
/// never in the URL path, so that names with any character survive proxies and routing unchanged.
/// </summary>
public static class Routes
{
    public const string Prefix = "/v1";

    /// <summary>GET, no token: <see cref="HealthReport"/>.</summary>
    public const string Health = "/v1/health";

    /// <summary>POST <see cref="OpenSessionRequest"/> → <see cref="SessionInfo"/>; DELETE /v1/sessions/{id} ends one.</summary>
    public const string Sessions = "/v1/sessions";

    /// <summary>POST /v1/sessions/{id}/heartbeat → <see cref="SessionInfo"/>: renews the session and all its leases.</summary>
    public const string HeartbeatSuffix = "/heartbeat";

    /// <summary>GET ?path= → <see cref="NodeInfo"/> of one path (lstat: a symlink is not followed).</summary>
    public const string Node = "/v1/node";

    /// <summary>GET ?id= → <see cref="NodeNames"/>: every path of one node, wherever renames took it.</summary>
    public const string Names = "/v1/names";

    /// <summary>GET ?path= → <see cref="DirectoryListing"/>.</summary>
    public const string List = "/v1/list";

    /// <summary>
    /// GET ?path= with optional Range and If-Match → the bytes of one version (206 for a range); the ETag names the
    /// version. PUT ?path= with If-Match (base version) or If-None-Match: * (new file), the session and lease epoch
    /// headers and an exact Content-Length → <see cref="NodeInfo"/> of the new version.
    /// The ETag is the node's <see cref="NodeInfo.ContentVersion"/> in quotes (<c>"42"</c>), and If-Match on GET and PUT
    /// compares against the ContentVersion (a chmod does not make cached bytes or an upload stale); a refused If-Match is
    /// 412 VersionMismatch with CurrentVersion = the ContentVersion. One range per request; a Range past the end is 416
    /// with <c>Content-Range: bytes */size</c> (no body), a multi-range or malformed Range is ignored (200, whole file).
    /// If-None-Match: * on an existing file is 409 Exists. PUT answers 201 for a new file, 200 otherwise. Fencing comes
    /// first: another session's write lease is 409 LeaseConflict; a lease epoch that is not the session's live write
    /// lease (or a dead session with an epoch) is 412 StaleLease.
    /// PATCH ?path= is a ranged upload of an existing file: If-Match (the base version, required),
    /// <see cref="Headers.ContentSize"/> (the new size) and a <see cref="ContentPatch"/> body of exact Content-Length →
    /// <see cref="NodeInfo"/> of the new version, with PUT's conditions, fencing and atomicity. Frames out of order,
    /// overlapping or past the new size are 400 BadRequest, and nothing changes.
    /// </summary>
    public const string Content = "/v1/content";

    /// <summary>
    /// POST → <see cref="NodeInfo"/>: namespace operations, one route each (mkdir, mknod and link answer 201). remove
    /// answers with the node as the removal left it (LinkCount 0 when it is gone). An exchange is two Renamed records;
    /// apply them by node id.
    /// </summary>
    public const string MakeDirectory = "/v1/ops/mkdir";
    public const string MakeNode = "/v1/ops/mknod";
    public const string Link = "/v1/ops/link";
    public const string Rename = "/v1/ops/rename";
    public const string Remove = "/v1/ops/remove";
    public const string SetAttributes = "/v1/ops/setattr";
    public const string SetXattr = "/v1/ops/setxattr";
    public const string RemoveXattr = "/v1/ops/removexattr";

    /// <summary>GET ?since=&amp;limit= → <see cref="ChangeBatch"/>: what changed after a cursor, oldest first.</summary>
    public const string Changes = "/v1/changes";

    /// <summary>GET ?session=&amp;since= → a server-sent event stream of <see cref="OriginEvent"/>, resumed from a cursor.</summary>
    public const string Events = "/v1/events";

    /// <summary>POST <see cref="LeaseRequest"/> → <see cref="LeaseGrant"/> (409 <see cref="ProblemReport"/> names the holder); DELETE /v1/leases/{id}.</summary>
    public const string Leases = "/v1/leases";

    /// <summary>
    /// POST <see cref="LockRequest"/> → <see cref="LockResult"/>: take, test or release a byte-range lock or flock. Without
    /// Wait a refused lock is 200 with Granted=false and the conflict; with Wait the origin long-polls (about 20 s) and,
    /// if the conflict is still there, answers 409 LockConflict (Holder = the client) so the client asks again.
    /// </summary>
    public const string Locks = "/v1/locks";

    /// <summary>POST <see cref="LockOwnerRequest"/>: release every lock one owner holds (its last close).</summary>
    public const string ReleaseOwnerLocks = "/v1/locks/release-owner";

    /// <summary>GET ?path= → <see cref="HeldLocks"/>: every lock held on one file, of any client (admin view).</summary>
    public const string HeldLocks = "/v1/locks/held";

    /// <summary>POST <see cref="BreakLocksRequest"/> → <see cref="HeldLocks"/> (what was broken): an admin frees a file.</summary>
    public const string BreakLocks = "/v1/locks/break";
}

/// <summary>Header names beyond the standard ones (Authorization: Bearer, ETag, If-Match, If-None-Match, Range).</summary>
public static class Headers
{
    /// <summary>The client session a mutation belongs to.</summary>
    public const string Session = "X-CacheFs-Session";

    /// <summary>The write lease's epoch a mutation of a leased file claims; a stale one is refused (fencing).</summary>
    public const string LeaseEpoch = "X-CacheFs-Lease-Epoch";

    /// <summary>Lower-case hex SHA-256 of an upload's body; the origin refuses a body that does not match.</summary>
    public const string ContentSha256 = "X-CacheFs-Content-Sha256";

    /// <summary>The size of the content a ranged upload (PATCH) makes.</summary>
    public const string ContentSize = "X-CacheFs-Content-Size";

    /// <summary>The origin's change cursor after a mutation, so a client can skip its own event.</summary>
    public const string Cursor = "X-CacheFs-Cursor";
}
