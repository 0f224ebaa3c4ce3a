using System.Text;

namespace CacheFs.Hosts.Fuse;

/// <summary>One line of /proc/self/mountinfo: where, what kind (fuse.cachefs for ours), and the source df shows.</summary>
public sealed record MountEntry(string MountPoint, string FileSystemType, string Source)
{
    /// <summary>"major:minor" of the mounted file system (its backing device info lives in /sys/class/bdi/ under this name).</summary>
    public string Device { get; init; } = "";
}

/// <summary>Reads this process's mount table. A CLI uses it to tell a CacheFs mount from anything else mounted there.</summary>
public static class MountTable
{
    /// <summary>The file system type of CacheFs mounts ("fuse." + the subtype libfuse is given).</summary>
    public const string CacheFsType = "fuse.cachefs";

    /// <summary>The topmost mount at <paramref name="fullPath"/> (absolute, no trailing slash), or null.</summary>
    public static MountEntry? Find(string fullPath) => Read().LastOrDefault(entry => entry.MountPoint == fullPath);

    public static IEnumerable<MountEntry> Read()
    {
        // "36 35 98:0 /root /mnt rw,noatime master:1 - ext4 /dev/sda1 rw": optional fields end at the lone "-".
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length > 4 && separator > 0 && separator + 2 < fields.Length)
                yield return new MountEntry(Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2])) { Device = fields[2] };
        }
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \040, \011, \012 and \134.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits) => digits.Length == 3 && !digits.ContainsAnyExceptInRange('0', '7');
}
