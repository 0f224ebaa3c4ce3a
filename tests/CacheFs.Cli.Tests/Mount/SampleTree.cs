namespace CacheFs.Cli.Tests.Mount;

/// <summary>Deterministic trees of files for the real-program tests: nested directories, sizes from empty to a few MiB.</summary>
internal static class SampleTree
{
    /// <summary>Writes <paramref name="files"/> files of up to <paramref name="maxSize"/> bytes in nested directories; returns their relative paths.</summary>
    public static IReadOnlyList<string> Write(string root, int files, int maxSize, int seed)
    {
        var random = new Random(seed);
        var paths = new List<string>(files);
        for (var i = 0; i < files; i++)
        {
            var relative = Path.Combine($"d{i % 25:00}", $"s{i % 7}", $"file-{i:0000}.dat");
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var size = i % 10 == 0 ? 0 : random.Next(1, maxSize + 1);
            var data = new byte[size];
            random.NextBytes(data);
            File.WriteAllBytes(path, data);
            paths.Add(relative);
        }

        return paths;
    }

    /// <summary>
    /// What archivers must carry besides plain files: a multi-MiB file, a sparse file, modes from 0400 to 4755, another
    /// owner, nanosecond times in the past, symlinks (one dangling), a hard link, a FIFO and an empty directory.
    /// </summary>
    public static async Task WriteWithExtrasAsync(string root, int seed)
    {
        Write(root, files: 120, maxSize: 70_000, seed);
        var random = new Random(seed);
        var big = new byte[(3 << 20) + 12345];
        random.NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(root, "big.bin"), big);
        Directory.CreateDirectory(Path.Combine(root, "empty", "deeper"));
        await Shell.OkAsync(
            """
            truncate -s 5M sparse.bin && printf 'middle' | dd of=sparse.bin bs=1 seek=2097152 conv=notrunc status=none
            chmod 755 d00/s0/file-0000.dat; chmod 600 d01/s1/file-0001.dat; chmod 400 d02/s2/file-0002.dat; chmod 4755 d03/s3/file-0003.dat
            chown 1000:1000 d04/s4/file-0004.dat; chown 1234:5678 d05
            ln -s d06/s6/file-0006.dat link-to-file; ln -s d07 link-to-dir; ln -s ../nowhere dangling
            ln d08/s1/file-0008.dat hardlink.dat
            mkfifo pipe
            i=0; find . -mindepth 1 -depth -print0 | while IFS= read -r -d '' p; do
              i=$((i + 1)); touch -h -d "@$((1600000000 + i * 3607)).$(printf '%09d' $((i * 7919)))" "$p"
            done
            touch -d '@1500000000.123456789' .
            """,
            root);
    }

    /// <summary>
    /// Type, mode, owner, size (not for directories: each file system counts them its own way), mtime to the nanosecond and
    /// symlink target of every path below <paramref name="root"/>, sorted: two trees with the same listing are the same to
    /// every archiver.
    /// </summary>
    public static Task<string> ListingAsync(string root) =>
        Shell.OkAsync(
            @"find . \( -type d -printf '%y %m %U:%G - %T@ %p\n' \) -o -printf '%y %m %U:%G %s %T@ %l %p\n' | LC_ALL=C sort",
            root);
}
