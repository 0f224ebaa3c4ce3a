using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheFs.Protocol;

/// <summary>
/// Source-generated JSON for every protocol shape: no reflection at run time, camelCase members, enums as strings,
/// unknown members refused so a mistyped field is an error rather than a silent default.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(NodeInfo))]
[JsonSerializable(typeof(DirectoryListing))]
[JsonSerializable(typeof(NodeNames))]
[JsonSerializable(typeof(ChangeBatch))]
[JsonSerializable(typeof(MakeDirectoryRequest))]
[JsonSerializable(typeof(MakeNodeRequest))]
[JsonSerializable(typeof(LinkRequest))]
[JsonSerializable(typeof(RenameRequest))]
[JsonSerializable(typeof(RemoveRequest))]
[JsonSerializable(typeof(SetAttributesRequest))]
[JsonSerializable(typeof(SetXattrRequest))]
[JsonSerializable(typeof(RemoveXattrRequest))]
[JsonSerializable(typeof(OpenSessionRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(LeaseRequest))]
[JsonSerializable(typeof(LeaseGrant))]
[JsonSerializable(typeof(LockRequest))]
[JsonSerializable(typeof(LockResult))]
[JsonSerializable(typeof(HeldLocks))]
[JsonSerializable(typeof(BreakLocksRequest))]
[JsonSerializable(typeof(LockOwnerRequest))]
[JsonSerializable(typeof(OriginEvent))]
[JsonSerializable(typeof(ProblemReport))]
public sealed partial class ProtocolJson : JsonSerializerContext;
