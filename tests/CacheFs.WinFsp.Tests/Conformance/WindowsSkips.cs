namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// The conformance cases that do not run against the WinFsp host, each with why: what Windows has no call for, and
/// where Windows itself answers otherwise than Linux. Every other case runs as written.
/// </summary>
internal static class WindowsSkips
{
    private const string Symlinks = "Windows programs reach symlinks as reparse points, which the host does not serve (ReparsePoints off); the origin's symlinks are a Linux client's.";
    private const string HardLinks = "Hard links: WinFsp's kernel driver answers FileLinkInformation (CreateHardLink) with STATUS_NOT_SUPPORTED; POSIX link counts are not reported.";
    private const string Xattrs = "POSIX extended attributes (user.*) have no Windows call; the host serves no EAs (ExtendedAttributes off).";
    private const string Modes = "POSIX mode bits, owners and link counts: Windows reports attributes and a security descriptor instead.";
    private const string Exchange = "RENAME_EXCHANGE has no Windows counterpart.";
    private const string Fallocate = "Windows allocates without changing the size (FileAllocationInformation, the keep-size mode, which runs) and punches holes only by FSCTL_SET_ZERO_DATA, which WinFsp does not pass on.";
    private const string Win32Paths = "The Win32 layer resolves '.', '..' and trailing separators before the file system sees a name.";
    private const string Nanoseconds = "FILETIME holds 100 ns: times set with nanoseconds come back truncated.";
    private const string NameLength = "Windows counts a name's length in UTF-16 units and has no ENAMETOOLONG (both limits answer STATUS_OBJECT_NAME_INVALID).";
    private const string NtfsRename = "NTFS never replaces a directory by rename (STATUS_ACCESS_DENIED), where POSIX replaces an empty one or answers EISDIR/ENOTEMPTY.";

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["Symlink_Target_RoundTripsAndStatsAsASymlink"] = Symlinks,
        ["Symlink_TargetOf4095Bytes_RoundTripsAnd4096IsTooLong"] = Symlinks,
        ["Symlink_OntoTakenName_Exists"] = Symlinks,
        ["ReadLink_NotASymlink_InvalidArgument"] = Symlinks,
        ["Symlink_Dangling_IsMadeListedAndRemovedAsALink"] = Symlinks,
        ["Open_ThroughASymlink_ReachesItsTarget"] = Symlinks,
        ["ChmodAndSetLength_ThroughASymlink_ChangeItsTarget"] = Symlinks,
        ["SetTimes_OnASymlink_ChangesTheLinkNotItsTarget"] = Symlinks,
        ["Symlink_EmptyTarget_NotFound"] = Symlinks,
        ["Walk_SymlinkToDirectoryOnTheWay_IsFollowed"] = Symlinks,
        ["ReadDirectory_EveryKind_IsListedByName"] = "Lists a symlink and a fifo beside a file and a directory; Windows makes neither. " + Symlinks,
        ["MakeFifo_New_StatsAsAFifoAndCannotBeMadeTwice"] = "Fifos (mknod) do not exist on Windows.",
        ["MakeDirectoryAndFriends_DotOrDotDotAsLastName_Exists"] = Win32Paths,
        ["RemoveDirectoryAndUnlink_DotOrDotDot_RefusedAsLinuxDoes"] = Win32Paths,
        ["Rename_DotOrDotDot_Busy"] = Win32Paths,
        ["Stat_FileWithTrailingSlash_NotDirectory"] = Win32Paths,

        ["Link_File_CountsBothNamesAndSharesTheContent"] = HardLinks,
        ["Link_WriteThroughOneName_IsReadThroughTheOther"] = HardLinks,
        ["Link_WriteThroughOneName_IsSeenByAHandleOpenOnTheOther"] = HardLinks,
        ["Unlink_OneOfTwoNames_LeavesTheOtherWithOneLink"] = HardLinks,
        ["Link_Directory_NotPermitted"] = HardLinks,
        ["Link_OntoTakenNameOrFromMissing_ExistsOrNotFound"] = HardLinks,
        ["Link_MovesCtimeOfTheNodeButNotItsMtime"] = HardLinks,
        ["Rename_OntoAnotherNameOfTheSameFile_KeepsBothNames"] = HardLinks,

        ["SetXattr_ThenGet_RoundTripsBinaryValue"] = Xattrs,
        ["SetXattr_CreateOnlyOnExisting_ExistsAndKeepsTheValue"] = Xattrs,
        ["SetXattr_ReplaceOnlyOnMissing_NoAttribute"] = Xattrs,
        ["SetXattr_ReplaceOnlyOnExisting_ChangesTheValue"] = Xattrs,
        ["GetXattr_MissingNameOrFile_NoAttributeOrNotFound"] = Xattrs,
        ["ListXattrs_AfterSetsAndARemove_ListsTheLiveNames"] = Xattrs,
        ["RemoveXattr_ThenAgain_NoAttribute"] = Xattrs,
        ["SetXattr_ValueOf64KiB_RoundTripsAndOneMoreByteIsTooLarge"] = Xattrs,
        ["SetXattr_NameOver255Bytes_NameTooLong"] = Xattrs,
        ["SetXattr_EmptyValueOnADirectory_RoundTrips"] = Xattrs,
        ["SetXattr_UserNamespaceOnSymlinkOrFifo_NotPermitted"] = Xattrs,
        ["SetXattr_MovesCtimeButNotMtime"] = Xattrs,

        ["Chmod_AnyBits_SetsExactlyThoseAndMovesCtimeOnly"] = Modes,
        ["Chown_NewIds_ChangesThemAndCtime"] = Modes,
        ["Create_New_IsAnEmptyFileOfTheCaller"] = Modes,
        ["Create_NonExclusiveOnExistingFile_OpensItAsItIs"] = Modes,
        ["MakeDirectory_StickyBit_IsKept"] = Modes,
        ["Stat_Directory_HasTwoLinksPlusOnePerSubdirectory"] = Modes,
        ["Rename_DirectoryAcrossParents_MovesItsLinkAndItsParent"] = Modes,
        ["RemoveDirectory_Empty_RemovesItAndItsLinkFromTheParent"] = Modes,

        ["Rename_Exchange_SwapsAFileAndADirectory"] = Exchange,
        ["Rename_ExchangeWithMissingName_NotFound"] = Exchange,
        ["Rename_OntoItself_DoesNothing"] = "Also renames with exchange. " + Exchange,
        ["Allocate_Extend_GrowsTheFileWithZeros"] = Fallocate,
        ["Allocate_PunchHole_ZerosTheRangeAndKeepsTheSize"] = Fallocate,

        ["SetTimes_ExplicitWithNanoseconds_RoundTrip"] = Nanoseconds,
        ["SetTimes_OmitOne_LeavesItAlone"] = Nanoseconds,
        ["CreateAndMakeDirectory_NameOf256Bytes_NameTooLong"] = NameLength,
        ["Create_MultiByteName_LimitCountsUtf8Bytes"] = NameLength,
        ["Create_UnderAFile_NotDirectory"] = "Windows answers a file on the way with STATUS_OBJECT_PATH_NOT_FOUND (ENOENT), not ENOTDIR.",
        ["Create_NamesDifferingOnlyInCase_AreDifferentFiles"] = "The Windows volume is case-insensitive, as NTFS: README and readme are one file (CaseInsensitiveTests in CacheFs.Tests cover the rule).",
        ["Rename_FileOntoDirectory_IsDirectory"] = NtfsRename,
        ["Rename_DirectoryOntoEmptyDirectory_ReplacesIt"] = NtfsRename,
        ["Rename_DirectoryOntoNonEmptyDirectory_NotEmpty"] = NtfsRename,
        ["Rename_DirectoryIntoItsOwnSubtree_InvalidArgument"] = "Renames onto an existing directory, which " + NtfsRename,
    };

    public static string? Reason(string method) => Reasons.GetValueOrDefault(method);

    public static int Count => Reasons.Count;
}
