using Microsoft.Win32.SafeHandles;

namespace CacheFs.Volume;

/// <summary>
/// Where a read's answer is: <see cref="Length"/> bytes at <see cref="Offset"/> of the content object, which a host may
/// hand to the kernel as they are. <see cref="Object"/> is null when the answer is empty, or when it is not all in the
/// object (a sparse extension past the object's end reads as zeros): then the host reads it with
/// <see cref="CacheVolume.Read"/>.
/// </summary>
public readonly record struct ContentSlice(SafeFileHandle? Object, long Offset, int Length);
