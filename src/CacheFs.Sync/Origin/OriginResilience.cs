using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CacheFs.Sync.Origin;

/// <summary>
/// The one resilience pipeline every origin call goes through (DESIGN "Offline and reconcile"): a timeout per attempt,
/// retries with jitter for idempotent calls only, and one circuit breaker shared by all calls, whose state says whether
/// the volume is online.
/// </summary>
public sealed class OriginResilience
{
    /// <summary>A context property that overrides the attempt timeout for one call.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("cachefs.attempt-timeout");

    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly CircuitBreakerManualControl _byHand = new();

    public OriginResilience(OriginResilienceOptions options, TimeProvider time)
    {
        Options = options;
        var breakerAndTimeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSampling,
                BreakDuration = options.BreakDuration,
                StateProvider = _breakerState,
                ManualControl = _byHand,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                // A long transfer sets its own limit (sized to its length) in the context; everything else gets the default.
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(AttemptTimeoutKey, out var timeout) ? timeout : options.AttemptTimeout),
            })
            .Build();
        Once = breakerAndTimeout;
        Idempotent = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not BrokenCircuitException && IsTransient(args.Outcome.Exception)),
            })
            .AddPipeline(breakerAndTimeout)
            .Build();
    }

    public OriginResilienceOptions Options { get; }

    /// <summary>For reads, listings, heartbeats and other calls that may safely run twice.</summary>
    public ResiliencePipeline Idempotent { get; }

    /// <summary>For mutations: a retry could apply them twice, so the outbox decides when to try again.</summary>
    public ResiliencePipeline Once { get; }

    /// <summary>Closed: online. Open or isolated: offline, calls fail fast. Half-open: one call is probing.</summary>
    public CircuitState Circuit => _breakerState.CircuitState;

    public bool IsOnline => Circuit is CircuitState.Closed or CircuitState.HalfOpen;

    /// <summary>Offline by hand (`cachefs offline`): every call fails fast until <see cref="GoOnlineAsync"/>.</summary>
    public bool IsOfflineByHand => Circuit == CircuitState.Isolated;

    /// <summary>Holds the circuit open: no call reaches the origin, as if the network were gone.</summary>
    public Task GoOfflineAsync() => _byHand.IsolateAsync();

    /// <summary>Closes the circuit, by hand or after an outage: the next call goes to the origin at once.</summary>
    public Task GoOnlineAsync() => _byHand.CloseAsync();

    /// <summary>Network failures, timeouts and 5xx answers (except "not implemented" and "disk full", which repeat).</summary>
    public static bool IsTransient(Exception? e) => e switch
    {
        HttpRequestException or TimeoutRejectedException or IOException or OriginUnavailableException => true,
        OriginException origin => (int)origin.Status >= 500 && origin.Status is not (HttpStatusCode.NotImplemented or HttpStatusCode.InsufficientStorage),
        _ => false,
    };
}

/// <summary>Settings of <see cref="OriginResilience"/>; the defaults suit a LAN or a home link.</summary>
public sealed record OriginResilienceOptions
{
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int Retries { get; init; } = 3;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public int BreakerMinimumThroughput { get; init; } = 4;
    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);
}
