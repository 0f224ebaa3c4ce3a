using System.Globalization;
using CacheFs.Nodes;
using CacheFs.Protocol;
using CacheFs.Remote;

namespace CacheFs.Sync.Engine;

/// <summary>The one translation between the origin's node and the core's.</summary>
internal static class RemoteNodes
{
    public static RemoteNode From(NodeInfo node) => new()
    {
        OriginId = node.Id,
        Kind = (NodeKind)(int)node.Kind,
        ContentVersion = VersionText(node.ContentVersion),
        Size = node.Size,
        Mode = node.Mode,
        Uid = node.Uid,
        Gid = node.Gid,
        AccessTime = new Timestamp(node.AccessTimeNs),
        ModifyTime = new Timestamp(node.ModifyTimeNs),
        ChangeTime = new Timestamp(node.ChangeTimeNs),
        BirthTime = new Timestamp(node.BirthTimeNs),
        WindowsAttributes = node.WindowsAttributes,
        Target = node.Target,
        DeviceNumber = node.DeviceNumber,
        LinkCount = node.LinkCount,
        Xattrs = node.Xattrs,
    };

    public static string VersionText(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The origin's number for a version the journal keeps as text; null for none ("" or unset).</summary>
    public static long? VersionNumber(string? version) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static RemoteKind KindOf(NodeKind kind) => (RemoteKind)(int)kind;
}
