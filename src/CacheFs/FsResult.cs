using System.Diagnostics.CodeAnalysis;

namespace CacheFs;

/// <summary>A value or an <see cref="FsStatus"/> explaining why there is none.</summary>
public readonly struct FsResult<T>
{
    private readonly T? _value;

    private FsResult(FsStatus status, T? value)
    {
        Status = status;
        _value = value;
    }

    public FsStatus Status { get; }

    [MemberNotNullWhen(true, nameof(_value))]
    public bool IsOk => Status == FsStatus.Ok;

    /// <summary>The value; only meaningful when <see cref="IsOk"/>.</summary>
    public T Value => IsOk ? _value : throw new InvalidOperationException($"No value: the operation returned {Status}.");

    public static FsResult<T> Ok(T value) => new(FsStatus.Ok, value);

    public static FsResult<T> Fail(FsStatus status)
    {
        if (status == FsStatus.Ok)
            throw new ArgumentException("A failure needs a failing status.", nameof(status));
        return new(status, default);
    }

    public static implicit operator FsResult<T>(T value) => Ok(value);

    public static implicit operator FsResult<T>(FsStatus status) => Fail(status);

    public bool TryGet([NotNullWhen(true)] out T? value)
    {
        value = _value;
        return IsOk;
    }

    public override string ToString() => IsOk ? $"Ok({_value})" : Status.ToString();
}
