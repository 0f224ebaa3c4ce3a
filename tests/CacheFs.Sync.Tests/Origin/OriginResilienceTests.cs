using System.Net;
using CacheFs.Protocol;
using CacheFs.Sync.Origin;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CacheFs.Sync.Tests.Origin;

public sealed class OriginResilienceTests
{
    private static readonly OriginResilienceOptions Fast = new()
    {
        Retries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        BreakerMinimumThroughput = 100,
        BreakDuration = TimeSpan.FromMinutes(1),
    };

    public static TheoryData<Exception?, bool> Failures => new()
    {
        { new HttpRequestException("connection refused"), true },
        { new TimeoutRejectedException(), true },
        { new IOException("reset"), true },
        { new OriginUnavailableException("down"), true },
        { Refusal(HttpStatusCode.InternalServerError), true },
        { Refusal(HttpStatusCode.BadGateway), true },
        { Refusal(HttpStatusCode.ServiceUnavailable), true },
        { Refusal(HttpStatusCode.GatewayTimeout), true },
        { Refusal(HttpStatusCode.NotImplemented), false },
        { Refusal(HttpStatusCode.InsufficientStorage), false },
        { Refusal(HttpStatusCode.BadRequest), false },
        { Refusal(HttpStatusCode.NotFound), false },
        { Refusal(HttpStatusCode.Conflict), false },
        { Refusal(HttpStatusCode.PreconditionFailed), false },
        { Refusal(HttpStatusCode.Gone), false },
        { new InvalidOperationException(), false },
        { new OperationCanceledException(), false },
        { null, false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsTransient_Failure_TransientOnlyForTheNetworkAndServerFaults(Exception? failure, bool transient) =>
        OriginResilience.IsTransient(failure).Should().Be(transient);

    [Fact]
    public async Task Idempotent_TransientFailure_RetriedThenThrown()
    {
        var resilience = new OriginResilience(Fast, TimeProvider.System);
        var calls = 0;

        var run = () => resilience.Idempotent.ExecuteAsync(_ =>
        {
            calls++;
            return Fail(new HttpRequestException("refused"));
        }).AsTask();

        await run.Should().ThrowAsync<HttpRequestException>();
        calls.Should().Be(3);
    }

    [Fact]
    public async Task Idempotent_Refusal_NotRetried()
    {
        var resilience = new OriginResilience(Fast, TimeProvider.System);
        var calls = 0;

        var run = () => resilience.Idempotent.ExecuteAsync(_ =>
        {
            calls++;
            return Fail(Refusal(HttpStatusCode.Conflict));
        }).AsTask();

        await run.Should().ThrowAsync<OriginException>();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Once_TransientFailure_NotRetried()
    {
        var resilience = new OriginResilience(Fast, TimeProvider.System);
        var calls = 0;

        var run = () => resilience.Once.ExecuteAsync(_ =>
        {
            calls++;
            return Fail(new HttpRequestException("refused"));
        }).AsTask();

        await run.Should().ThrowAsync<HttpRequestException>();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Circuit_RepeatedTransientFailures_OpensAndFailsFast()
    {
        var resilience = new OriginResilience(Fast with { BreakerMinimumThroughput = 2 }, TimeProvider.System);
        resilience.IsOnline.Should().BeTrue();
        var calls = 0;
        ValueTask Failing(CancellationToken _)
        {
            calls++;
            return Fail(new HttpRequestException("refused"));
        }

        for (var i = 0; i < 2; i++)
            await resilience.Once.Invoking(p => p.ExecuteAsync(Failing).AsTask()).Should().ThrowAsync<HttpRequestException>();

        resilience.Circuit.Should().Be(CircuitState.Open);
        resilience.IsOnline.Should().BeFalse();
        await resilience.Idempotent.Invoking(p => p.ExecuteAsync(Failing).AsTask()).Should().ThrowAsync<BrokenCircuitException>();
        calls.Should().Be(2, "an open circuit does not call the origin, and the retry does not retry the breaker's refusal");
    }

    [Fact]
    public async Task Circuit_RefusalsOnly_StaysClosed()
    {
        var resilience = new OriginResilience(Fast with { BreakerMinimumThroughput = 2 }, TimeProvider.System);

        for (var i = 0; i < 5; i++)
            await resilience.Once.Invoking(p => p.ExecuteAsync(_ => Fail(Refusal(HttpStatusCode.NotFound))).AsTask()).Should().ThrowAsync<OriginException>();

        resilience.IsOnline.Should().BeTrue("a refusal is an answer: the origin is there");
    }

    [Fact]
    public async Task GoOffline_ByHand_EveryCallFailsFastUntilGoOnline()
    {
        var resilience = new OriginResilience(Fast, TimeProvider.System);
        var calls = 0;
        ValueTask Working(CancellationToken _)
        {
            calls++;
            return ValueTask.CompletedTask;
        }

        await resilience.GoOfflineAsync();

        resilience.IsOnline.Should().BeFalse();
        resilience.IsOfflineByHand.Should().BeTrue();
        await resilience.Idempotent.Invoking(p => p.ExecuteAsync(Working).AsTask()).Should().ThrowAsync<BrokenCircuitException>();
        await resilience.Once.Invoking(p => p.ExecuteAsync(Working).AsTask()).Should().ThrowAsync<BrokenCircuitException>();
        calls.Should().Be(0, "offline by hand nothing reaches the origin, however healthy it is");

        await resilience.GoOnlineAsync();

        resilience.IsOnline.Should().BeTrue();
        resilience.IsOfflineByHand.Should().BeFalse();
        await resilience.Idempotent.ExecuteAsync(Working);
        calls.Should().Be(1);
    }

    [Fact]
    public async Task GoOnline_AfterAnOutageOpenedTheCircuit_ClosesItAtOnce()
    {
        var resilience = new OriginResilience(Fast with { BreakerMinimumThroughput = 2 }, TimeProvider.System);
        for (var i = 0; i < 2; i++)
            await resilience.Once.Invoking(p => p.ExecuteAsync(_ => Fail(new HttpRequestException("refused"))).AsTask()).Should().ThrowAsync<HttpRequestException>();
        resilience.Circuit.Should().Be(CircuitState.Open);
        resilience.IsOfflineByHand.Should().BeFalse("the network opened it, not a user");

        await resilience.GoOnlineAsync();

        resilience.Circuit.Should().Be(CircuitState.Closed, "`cachefs online` need not wait out the break");
    }

    private static ValueTask Fail(Exception e) => ValueTask.FromException(e);

    private static OriginException Refusal(HttpStatusCode status) => new(status, new ProblemReport(ErrorCode.Internal, "refused"));
}
