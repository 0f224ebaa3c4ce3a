using CacheFs.Hosts.Fuse;

namespace CacheFs.Tests.Hosts.Fuse;

public sealed class AsyncRepliesTests
{
    [Fact]
    public void Drain_WithAnAnswerWaiting_CancelsItAndWaitsForIt()
    {
        using var replies = new AsyncReplies(1);
        Exception? seen = null;
        var answered = 0;
        replies.AnswerLater(WaitForCancellationAsync(replies.Stopping), (_, error) =>
        {
            seen = error;
            answered++;
        });

        replies.Drain(TimeSpan.FromSeconds(10)).Should().BeTrue();

        answered.Should().Be(1);
        seen.Should().BeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public void Drain_AnAnswerThatNeverComes_GivesUpAfterTheTimeout()
    {
        using var replies = new AsyncReplies(1);
        var never = new TaskCompletionSource<int>();
        replies.AnswerLater(new ValueTask<int>(never.Task), (_, _) => { });

        replies.Drain(TimeSpan.FromMilliseconds(50)).Should().BeFalse();

        never.SetResult(1);
    }

    [Fact]
    public void Drain_NothingOutstanding_ReturnsAtOnce()
    {
        using var replies = new AsyncReplies(1);
        var result = 0;
        replies.AnswerLater(ValueTask.FromResult(42), (value, _) => result = value);

        replies.Drain(TimeSpan.Zero).Should().BeTrue();
        result.Should().Be(42);
    }

    [Fact]
    public void AnswerLaterFromOwnThread_AWaitingAnswer_IsSentFromTheRepliesOwnThreadWhichDrainEnds()
    {
        using var replies = new AsyncReplies(2);
        var done = new TaskCompletionSource<int>();
        Thread? answering = null;
        var fromPool = true;
        replies.AnswerLaterFromOwnThread(new ValueTask<int>(done.Task), (_, _) =>
        {
            answering = Thread.CurrentThread;
            fromPool = answering.IsThreadPoolThread;
        });

        done.SetResult(1);
        replies.Drain(TimeSpan.FromSeconds(10)).Should().BeTrue();

        answering.Should().NotBeNull();
        answering!.Name.Should().Be("FUSE answers", "libfuse's per-thread splice pipe is freed when such a thread ends");
        fromPool.Should().BeFalse();
        answering.IsAlive.Should().BeFalse();
    }

    [Fact]
    public void AnswerLaterFromOwnThread_NoAnsweringThreads_AnswersFromTheContinuation()
    {
        using var replies = new AsyncReplies();
        var done = new TaskCompletionSource<int>();
        string? answeringName = "unset";
        replies.AnswerLaterFromOwnThread(new ValueTask<int>(done.Task), (_, _) => answeringName = Thread.CurrentThread.Name);

        done.SetResult(1);
        replies.Drain(TimeSpan.FromSeconds(10)).Should().BeTrue();

        answeringName.Should().NotBe("FUSE answers");
    }

    private static async ValueTask<int> WaitForCancellationAsync(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token);
        return 0;
    }
}
