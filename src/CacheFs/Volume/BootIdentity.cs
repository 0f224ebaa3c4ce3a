namespace CacheFs.Volume;

/// <summary>Which boot of the machine this is: a change record written before a reboot is not trusted after it.</summary>
internal static class BootIdentity
{
    /// <summary>The kernel's boot id on Linux; null where there is none to read (then every start counts as after a reboot).</summary>
    public static string? Current()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
