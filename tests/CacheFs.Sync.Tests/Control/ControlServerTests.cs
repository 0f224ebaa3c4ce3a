using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using CacheFs.Sync.Control;
using CacheFs.Sync.Tests.Harness;

namespace CacheFs.Sync.Tests.Control;

[SupportedOSPlatform("linux")]
public sealed partial class ControlServerTests : IAsyncLifetime
{
    private readonly string _directory = Path.Join(Path.GetTempPath(), "cachefs-control-" + Guid.NewGuid().ToString("N"));
    private readonly FakeMount _mount = new();
    private ControlServer _server = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = ControlServer.Start(_directory, _mount, GetUid(), Mirror.Log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Status_RunningMount_AnswersWithItsStatus()
    {
        var answer = await SendAsync(new ControlRequest("status"));

        answer.Ok.Should().BeTrue();
        answer.Status.Should().BeEquivalentTo(_mount.Status());
    }

    [Fact]
    public async Task Sync_WithoutATimeout_WaitsForTheOutboxThenOk()
    {
        var answer = SendAsync(new ControlRequest("sync"));
        await _mount.SyncStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        answer.IsCompleted.Should().BeFalse("the answer waits until the outbox is empty");

        _mount.SyncDone.SetResult();

        var response = await answer;
        response.Ok.Should().BeTrue();
        response.Message.Should().Be("every local change has reached the origin");
        response.Status.Should().NotBeNull();
    }

    [Fact]
    public async Task Sync_TimeoutBeforeTheOutboxEmpties_NotOkWithWhatStillWaits()
    {
        _mount.Queued = 3;
        _mount.Online = false;

        var answer = await SendAsync(new ControlRequest("sync") { TimeoutMs = 50 });

        answer.Ok.Should().BeFalse();
        answer.Message.Should().Be("3 changes still wait for the origin (the origin is unreachable)");
        answer.Status!.QueuedChanges.Should().Be(3);
        _mount.SyncCancelled.Should().BeTrue();
    }

    [Fact]
    public async Task Sync_TimeoutWhileOnline_SaysOnlyWhatWaits()
    {
        _mount.Queued = 1;

        var answer = await SendAsync(new ControlRequest("sync") { TimeoutMs = 50 });

        answer.Ok.Should().BeFalse();
        answer.Message.Should().Be("1 changes still wait for the origin");
    }

    [Fact]
    public async Task Send_UnknownCommand_NotOkNamingIt()
    {
        var answer = await SendAsync(new ControlRequest("frobnicate"));

        answer.Ok.Should().BeFalse();
        answer.Message.Should().Be("unknown command 'frobnicate'");
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"command\": ")]
    public async Task Send_GarbageLine_NotOkAndTheServerKeepsServing(string line)
    {
        var answer = await SendRawAsync(line);

        answer.Ok.Should().BeFalse();
        answer.Message.Should().StartWith("not a control request");
        (await SendAsync(new ControlRequest("status"))).Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Send_JsonWithoutACommand_UnknownCommand()
    {
        var answer = await SendRawAsync("{}");

        answer.Ok.Should().BeFalse();
        answer.Message.Should().Be("unknown command ''");
    }

    [Fact]
    public void Start_Socket_InTheCacheDirectoryOnlyItsOwnerMayOpen()
    {
        _server.Path.Should().Be(Path.Join(_directory, ControlServer.SocketName));
        File.GetUnixFileMode(_server.Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Start_OverASocketAKilledMountLeft_ServesAgain()
    {
        await _server.DisposeAsync();
        await File.WriteAllTextAsync(ControlServer.PathFor(_directory), "stale");

        _server = ControlServer.Start(_directory, _mount, GetUid(), Mirror.Log);

        (await SendAsync(new ControlRequest("status"))).Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Dispose_SocketGone_ClientsToldNoMountServes()
    {
        await _server.DisposeAsync();

        File.Exists(ControlServer.PathFor(_directory)).Should().BeFalse();
        await FluentActions.Awaiting(() => SendAsync(new ControlRequest("status"))).Should().ThrowAsync<SocketException>();
        _server = ControlServer.Start(_directory, _mount, GetUid(), Mirror.Log);
    }

    private Task<ControlResponse> SendAsync(ControlRequest request) =>
        ControlClient.SendAsync(_directory, request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    private async Task<ControlResponse> SendRawAsync(string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(ControlServer.PathFor(_directory)));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return System.Text.Json.JsonSerializer.Deserialize(answer!, ControlJson.Default.ControlResponse)!;
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    private sealed class FakeMount : IMountControl
    {
        public long Queued { get; set; }

        public bool Online { get; set; } = true;

        public bool SyncCancelled { get; private set; }

        public TaskCompletionSource SyncStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SyncDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MountStatus Status() => new()
        {
            CacheDirectory = "/cache",
            MountPoint = "/mnt/team",
            Mode = "origin",
            Origin = "http://origin:7070/",
            Online = Online,
            Session = "s-1",
            QueuedChanges = Queued,
            LeasesHeld = 2,
            Cursor = 42,
            ProcessId = 1234,
        };

        public async Task SyncAsync(CancellationToken cancellationToken)
        {
            SyncStarted.TrySetResult();
            try
            {
                await SyncDone.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SyncCancelled = true;
                throw;
            }
        }
    }
}
