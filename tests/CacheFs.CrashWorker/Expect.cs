using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>What the worker demands of each call; anything else ends the worker (and fails the crash test) loudly.</summary>
internal static class Expect
{
    public static T Ok<T>(FsResult<T> result, string what) =>
        result.IsOk ? result.Value : throw new WorkerFailureException($"{what} returned {result.Status}");

    public static void Ok(FsStatus status, string what)
    {
        if (status != FsStatus.Ok)
            throw new WorkerFailureException($"{what} returned {status}");
    }

    /// <summary>Namespace races with the worker's own choices (a name taken, a directory not empty) are fine; I/O errors are not.</summary>
    public static FsStatus Benign(FsStatus status, string what)
    {
        if (status is FsStatus.Ok or FsStatus.Exists or FsStatus.NotFound or FsStatus.NotEmpty or FsStatus.IsDirectory
            or FsStatus.NotDirectory or FsStatus.InvalidArgument or FsStatus.NoAttribute)
            return status;
        throw new WorkerFailureException($"{what} returned {status}");
    }

    /// <summary>Every byte of a file, read through the volume.</summary>
    public static byte[] ReadAll(CacheVolume volume, long id)
    {
        var open = Ok(volume.Open(id, OpenFlags.Read), $"open {id} to read");
        try
        {
            var buffer = new byte[open.Attributes.Size];
            var at = 0;
            while (at < buffer.Length)
            {
                var n = Ok(volume.Read(open.Handle, at, buffer.AsSpan(at, Math.Min(1 << 16, buffer.Length - at))), $"read {id} at {at}");
                if (n == 0)
                    throw new WorkerFailureException($"read {id} at {at} returned no bytes before the size {buffer.Length}");
                at += n;
            }

            return buffer;
        }
        finally
        {
            volume.Release(open.Handle);
        }
    }

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static IEnumerable<DirectoryEntry> List(CacheVolume volume, long directory)
    {
        long cookie = 0;
        while (true)
        {
            var page = Ok(volume.ReadDirectory(directory, cookie, 256), $"list {directory}");
            if (page.Count == 0)
                yield break;
            foreach (var entry in page)
                yield return entry;
            cookie = page[^1].Cookie;
        }
    }
}

internal sealed class WorkerFailureException : Exception
{
    public WorkerFailureException()
    {
    }

    public WorkerFailureException(string message)
        : base(message)
    {
    }

    public WorkerFailureException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
