namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// The conformance cases that do not run as written against the WinFsp host, each with why: what Windows, WinFsp or
/// the host has no call for, what Win32 or WinFsp's kernel driver answers before the file system is asked, and where
/// Windows answers otherwise than Linux (those run with Windows' answer in <see cref="WinFspAdaptedConformanceTests"/>).
/// Every other case runs as written.
/// </summary>
internal static class WindowsSkips
{
    private const string Fifos = "Fifos (mknod) do not exist on Windows.";
    private const string HardLinks = "Hard links: WinFsp's kernel driver answers FileLinkInformation (CreateHardLink) with STATUS_NOT_SUPPORTED and reports no link count (FileInfo.HardLinks is unimplemented).";
    private const string XattrModes = "xattrs are Windows EAs (NtSetEaFile), which are set or replaced: there is no create-only or replace-only mode (XATTR_CREATE, XATTR_REPLACE).";
    private const string EaNames = "xattrs are Windows EAs, whose names NTFS upper-cases (README, Windows host).";
    private const string Modes = "POSIX mode bits, owners and link counts: Windows reports attributes and a security descriptor instead, and WinFsp reports no link count.";
    private const string Exchange = "RENAME_EXCHANGE has no Windows counterpart.";
    private const string Fallocate = "Windows allocates without changing the size (FileAllocationInformation, the keep-size mode, which runs; growing is SetEndOfFile, SetLength's cases) and zeroes a range only by FSCTL_SET_ZERO_DATA, which WinFsp's kernel driver refuses (STATUS_INVALID_DEVICE_REQUEST).";
    private const string Win32Paths = "The Win32 layer resolves '.' and '..' in a path before the file system sees the name.";
    private const string NtfsRename = "NTFS never replaces a directory by rename (STATUS_ACCESS_DENIED), where POSIX replaces an empty one or answers EISDIR/ENOTEMPTY.";

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["Symlink_Target_RoundTripsAndStatsAsASymlink"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.Symlink_Target_RoundTripsAndStatsAsASymlink)),
        ["Symlink_TargetOf4095Bytes_RoundTripsAnd4096IsTooLong"] = "A symlink reparse buffer holds 16 KiB with the target twice in UTF-16 (substitute and print names), so CreateSymbolicLink cannot make a 4095-character target; a Linux client's reads back (SymlinkTests).",
        ["ChmodAndSetLength_ThroughASymlink_ChangeItsTarget"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.SetLength_ThroughASymlink_ChangesItsTarget)),
        ["SetTimes_OnASymlink_ChangesTheLinkNotItsTarget"] = Adapted("Sets a time of 42 ns, which a FILETIME (100 ns) cannot hold.", nameof(WinFspAdaptedConformanceTests.SetTimes_OnASymlink_ChangesTheLinkNotItsTarget)),
        ["Symlink_EmptyTarget_NotFound"] = Adapted("An empty target is invalid reparse data (STATUS_IO_REPARSE_DATA_INVALID), and CreateSymbolicLink removes the file it made.", nameof(WinFspAdaptedConformanceTests.Symlink_EmptyTarget_InvalidArgumentAndNothingLeft)),
        ["Walk_SymlinkToDirectoryOnTheWay_IsFollowed"] = Adapted("Also stats \"link/\": WinFsp's kernel driver removes a trailing backslash before the file system sees the name.", nameof(WinFspAdaptedConformanceTests.Walk_SymlinkToDirectoryOnTheWay_IsFollowed)),
        ["ReadDirectory_EveryKind_IsListedByName"] = "Lists a fifo and a hard link beside a file, a directory and a symlink; Windows makes neither.",
        ["MakeFifo_New_StatsAsAFifoAndCannotBeMadeTwice"] = Fifos,
        ["MakeDirectoryAndFriends_DotOrDotDotAsLastName_Exists"] = Win32Paths,
        ["RemoveDirectoryAndUnlink_DotOrDotDot_RefusedAsLinuxDoes"] = Win32Paths,
        ["Rename_DotOrDotDot_Busy"] = Win32Paths,
        ["Stat_FileWithTrailingSlash_NotDirectory"] = "WinFsp's kernel driver removes a trailing backslash before the file system sees the name (and answers STATUS_OBJECT_NAME_INVALID itself when one creates a file), so the host cannot answer it.",

        ["Link_File_CountsBothNamesAndSharesTheContent"] = HardLinks,
        ["Link_WriteThroughOneName_IsReadThroughTheOther"] = HardLinks,
        ["Link_WriteThroughOneName_IsSeenByAHandleOpenOnTheOther"] = HardLinks,
        ["Unlink_OneOfTwoNames_LeavesTheOtherWithOneLink"] = HardLinks,
        ["Link_Directory_NotPermitted"] = HardLinks,
        ["Link_OntoTakenNameOrFromMissing_ExistsOrNotFound"] = HardLinks,
        ["Link_MovesCtimeOfTheNodeButNotItsMtime"] = HardLinks,
        ["Rename_OntoAnotherNameOfTheSameFile_KeepsBothNames"] = HardLinks,

        ["SetXattr_CreateOnlyOnExisting_ExistsAndKeepsTheValue"] = XattrModes,
        ["SetXattr_ReplaceOnlyOnMissing_NoAttribute"] = XattrModes,
        ["SetXattr_ReplaceOnlyOnExisting_ChangesTheValue"] = XattrModes,
        ["ListXattrs_AfterSetsAndARemove_ListsTheLiveNames"] = Adapted(EaNames, nameof(WinFspAdaptedConformanceTests.ListXattrs_AfterSetsAndARemove_ListsTheLiveNamesUpperCased)),
        ["RemoveXattr_ThenAgain_NoAttribute"] = Adapted("Removing an EA is setting it empty, which is no error when it is missing (NTFS's rule).", nameof(WinFspAdaptedConformanceTests.RemoveXattr_ThenAgain_IsNoError)),
        ["SetXattr_ValueOf64KiB_RoundTripsAndOneMoreByteIsTooLarge"] = Adapted("An EA value holds 64 KiB - 1 at most, and WinFsp carries a file's whole EA list in one 16 KiB reply: the host keeps a file's EAs within 15 KiB (README, known limits).", nameof(WinFspAdaptedConformanceTests.SetXattr_ValueAtTheHostsListLimit_RoundTripsAndOneMoreByteIsTooLarge)),
        ["SetXattr_NameOver255Bytes_NameTooLong"] = Adapted("An EA name is the xattr name after \"user.\", so it holds 250 bytes; a longer one is STATUS_INVALID_EA_NAME. " + EaNames, nameof(WinFspAdaptedConformanceTests.SetXattr_NameOver250BytesAfterTheUserPrefix_InvalidName)),
        ["SetXattr_EmptyValueOnADirectory_RoundTrips"] = "An empty EA value deletes the EA (NtSetEaFile), so Windows has no empty xattr.",
        ["SetXattr_UserNamespaceOnSymlinkOrFifo_NotPermitted"] = Adapted(Fifos, nameof(WinFspAdaptedConformanceTests.SetXattr_OnASymlink_AccessDenied)),

        ["Chmod_AnyBits_SetsExactlyThoseAndMovesCtimeOnly"] = Modes,
        ["Chown_NewIds_ChangesThemAndCtime"] = Modes,
        ["Create_New_IsAnEmptyFileOfTheCaller"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.Create_New_IsAnEmptyFile)),
        ["Create_NonExclusiveOnExistingFile_OpensItAsItIs"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.Create_NonExclusiveOnExistingFile_OpensItAsItIs)),
        ["MakeDirectory_StickyBit_IsKept"] = Modes,
        ["Stat_Directory_HasTwoLinksPlusOnePerSubdirectory"] = Modes,
        ["Rename_DirectoryAcrossParents_MovesItsLinkAndItsParent"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.Rename_DirectoryAcrossParents_MovesItWithItsContent)),
        ["RemoveDirectory_Empty_RemovesItAndItsLinkFromTheParent"] = Adapted(Modes, nameof(WinFspAdaptedConformanceTests.RemoveDirectory_Empty_RemovesIt)),

        ["Rename_Exchange_SwapsAFileAndADirectory"] = Exchange,
        ["Rename_ExchangeWithMissingName_NotFound"] = Exchange,
        ["Rename_OntoItself_DoesNothing"] = "Also renames with exchange, which " + Exchange + " A rename onto the very same name WinFsp's kernel driver answers itself, without calling the file system.",
        ["Allocate_Extend_GrowsTheFileWithZeros"] = Fallocate,
        ["Allocate_PunchHole_ZerosTheRangeAndKeepsTheSize"] = Fallocate,

        ["SetTimes_ExplicitWithNanoseconds_RoundTrip"] = Adapted("FILETIME holds 100 ns: times set with nanoseconds come back truncated.", nameof(WinFspAdaptedConformanceTests.SetTimes_ExplicitWithNanoseconds_RoundTripTo100Nanoseconds)),
        ["SetTimes_OmitOne_LeavesItAlone"] = Adapted("Sets times of 1 and 2 ns, which a FILETIME (100 ns) cannot hold.", nameof(WinFspAdaptedConformanceTests.SetTimes_OmitOne_LeavesItAlone)),
        ["CreateAndMakeDirectory_NameOf256Bytes_NameTooLong"] = Adapted("Windows has no ENAMETOOLONG: a name past the limit is STATUS_OBJECT_NAME_INVALID.", nameof(WinFspAdaptedConformanceTests.CreateAndMakeDirectory_NameOf256Characters_NameInvalid)),
        ["Create_MultiByteName_LimitCountsUtf8Bytes"] = Adapted("Windows has no ENAMETOOLONG: a name past the core's 255 UTF-8 bytes is STATUS_OBJECT_NAME_INVALID (NTFS would take 86 '€', README known limits).", nameof(WinFspAdaptedConformanceTests.Create_MultiByteName_LimitCountsUtf8Bytes)),
        ["Create_UnderAFile_NotDirectory"] = Adapted("Windows answers a file on the way with STATUS_OBJECT_PATH_NOT_FOUND, not ENOTDIR.", nameof(WinFspAdaptedConformanceTests.Create_UnderAFile_PathNotFound)),
        ["Create_NamesDifferingOnlyInCase_AreDifferentFiles"] = Adapted("The Windows volume is case-insensitive, as NTFS: README and readme are one file.", nameof(WinFspAdaptedConformanceTests.Create_NamesDifferingOnlyInCase_AreOneFile)),
        ["Rename_FileOntoDirectory_IsDirectory"] = Adapted(NtfsRename, nameof(WinFspAdaptedConformanceTests.Rename_FileOntoDirectory_AccessDenied)),
        ["Rename_DirectoryOntoEmptyDirectory_ReplacesIt"] = Adapted(NtfsRename, nameof(WinFspAdaptedConformanceTests.Rename_DirectoryOntoEmptyDirectory_AccessDenied)),
        ["Rename_DirectoryOntoNonEmptyDirectory_NotEmpty"] = Adapted(NtfsRename, nameof(WinFspAdaptedConformanceTests.Rename_DirectoryOntoNonEmptyDirectory_AccessDenied)),
        ["Rename_DirectoryIntoItsOwnSubtree_InvalidArgument"] = Adapted("Also renames onto an existing directory. " + NtfsRename, nameof(WinFspAdaptedConformanceTests.Rename_DirectoryIntoItsOwnSubtree_InvalidArgumentAndOntoItsChildAccessDenied)),
    };

    public static string? Reason(string method) => Reasons.GetValueOrDefault(method);

    public static int Count => Reasons.Count;

    private static string Adapted(string reason, string test) => $"{reason} Adapted to Windows: {nameof(WinFspAdaptedConformanceTests)}.{test}.";
}
