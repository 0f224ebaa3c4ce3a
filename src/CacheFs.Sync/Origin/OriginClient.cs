using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheFs.Protocol;
using Polly;

namespace CacheFs.Sync.Origin;

/// <summary>
/// The origin's protocol as typed calls. Every call goes through <see cref="OriginResilience"/>; a refusal throws
/// <see cref="OriginException"/> with the origin's problem report, an unreachable origin
/// <see cref="OriginUnavailableException"/>.
/// </summary>
public sealed partial class OriginClient : IDisposable
{
    private static readonly ProtocolJson Json = ProtocolJson.Default;
    private readonly HttpClient _http;

    public OriginClient(Uri origin, string token, OriginResilience resilience)
    {
        Resilience = resilience;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 32,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = origin,

            // Limits come from the resilience pipeline per attempt; the event stream has none.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Origin = origin;
    }

    public Uri Origin { get; }

    public OriginResilience Resilience { get; }

    public Task<HealthReport> HealthAsync(CancellationToken ct) =>
        GetJsonAsync(Routes.Health, Json.HealthReport, ct);

    public Task<SessionInfo> OpenSessionAsync(string clientName, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.Sessions, new OpenSessionRequest(clientName), Json.OpenSessionRequest, Json.SessionInfo, null, idempotent: false, ct);

    public Task<SessionInfo> HeartbeatAsync(string sessionId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"{Routes.Sessions}/{Uri.EscapeDataString(sessionId)}{Routes.HeartbeatSuffix}", null, Json.SessionInfo, null, idempotent: true, ct);

    public Task CloseSessionAsync(string sessionId, CancellationToken ct) =>
        SendAsync<object?>(HttpMethod.Delete, $"{Routes.Sessions}/{Uri.EscapeDataString(sessionId)}", null, null, null, idempotent: true, ct);

    public Task<NodeInfo> GetNodeAsync(string path, CancellationToken ct) =>
        GetJsonAsync(WithPath(Routes.Node, path), Json.NodeInfo, ct);

    public Task<NodeNames> NamesOfAsync(long id, CancellationToken ct) =>
        GetJsonAsync($"{Routes.Names}?id={id.ToString(System.Globalization.CultureInfo.InvariantCulture)}", Json.NodeNames, ct);

    public Task<DirectoryListing> ListAsync(string path, CancellationToken ct) =>
        GetJsonAsync(WithPath(Routes.List, path), Json.DirectoryListing, ct);

    public Task<ChangeBatch> ChangesAsync(long since, int limit, CancellationToken ct) =>
        GetJsonAsync($"{Routes.Changes}?since={since}&limit={limit}", Json.ChangeBatch, ct);

    public Task<NodeInfo> MakeDirectoryAsync(MakeDirectoryRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.MakeDirectory, request, Json.MakeDirectoryRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<NodeInfo> MakeNodeAsync(MakeNodeRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.MakeNode, request, Json.MakeNodeRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<NodeInfo> LinkAsync(LinkRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.Link, request, Json.LinkRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<NodeInfo> RenameAsync(RenameRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.Rename, request, Json.RenameRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task RemoveAsync(RemoveRequest request, Mutation mutation, CancellationToken ct) =>
        SendAsync<object?>(HttpMethod.Post, Routes.Remove, () => JsonContent.Create(request, Json.RemoveRequest), null, mutation, idempotent: false, ct);

    public Task<NodeInfo> SetAttributesAsync(SetAttributesRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.SetAttributes, request, Json.SetAttributesRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<NodeInfo> SetXattrAsync(SetXattrRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.SetXattr, request, Json.SetXattrRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<NodeInfo> RemoveXattrAsync(RemoveXattrRequest request, Mutation mutation, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.RemoveXattr, request, Json.RemoveXattrRequest, Json.NodeInfo, mutation, idempotent: false, ct);

    public Task<LeaseGrant> AcquireLeaseAsync(LeaseRequest request, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.Leases, request, Json.LeaseRequest, Json.LeaseGrant, null, idempotent: true, ct);

    public Task ReleaseLeaseAsync(string leaseId, CancellationToken ct) =>
        SendAsync<object?>(HttpMethod.Delete, $"{Routes.Leases}/{Uri.EscapeDataString(leaseId)}", null, null, null, idempotent: true, ct);

    public Task<LockResult> LockAsync(LockRequest request, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.Locks, request, Json.LockRequest, Json.LockResult, null, idempotent: false, ct, request.Wait ? TimeSpan.FromSeconds(60) : null);

    public Task<HeldLocks> HeldLocksAsync(string path, CancellationToken ct) =>
        GetJsonAsync(WithPath(Routes.HeldLocks, path), Json.HeldLocks, ct);

    public Task<HeldLocks> BreakLocksAsync(string path, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Routes.BreakLocks, new BreakLocksRequest(path), Json.BreakLocksRequest, Json.HeldLocks, null, idempotent: true, ct);

    public Task ReleaseLockOwnerAsync(LockOwnerRequest request, CancellationToken ct) =>
        SendAsync<object?>(HttpMethod.Post, Routes.ReleaseOwnerLocks, () => JsonContent.Create(request, Json.LockOwnerRequest), null, null, idempotent: true, ct);

    /// <summary>
    /// The session's event stream from <paramref name="since"/> on, until the connection drops or
    /// <paramref name="ct"/> fires. Not retried here: the caller reconnects from the last cursor it saw.
    /// </summary>
    public async IAsyncEnumerable<OriginEvent> EventsAsync(string sessionId, long since, [EnumeratorCancellation] CancellationToken ct)
    {
        // The stream is no call of the pipeline (it has no time limit), so it asks the circuit itself.
        if (Resilience.IsOfflineByHand)
            throw new OriginUnavailableException("the volume is offline by hand (`cachefs online` reconnects it)");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Events}?session={Uri.EscapeDataString(sessionId)}&since={since}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new OriginUnavailableException($"cannot reach the origin at {Origin}: {e.Message}", e);
        }

        using (response)
        {
            await ThrowIfRefusedAsync(response, ct).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct).ConfigureAwait(false))
            {
                if (string.IsNullOrEmpty(item.Data))
                    continue;
                var parsed = JsonSerializer.Deserialize(item.Data, Json.OriginEvent);
                if (parsed is not null)
                    yield return parsed;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    internal static string WithPath(string route, string path) => $"{route}?path={Uri.EscapeDataString(path)}";

    private Task<T> GetJsonAsync<T>(string uri, JsonTypeInfo<T> type, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, uri, null, type, null, idempotent: true, ct);

    private Task<TResult> SendJsonAsync<TRequest, TResult>(
        HttpMethod method,
        string uri,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResult> resultType,
        Mutation? mutation,
        bool idempotent,
        CancellationToken ct,
        TimeSpan? timeout = null) =>
        SendAsync(method, uri, () => JsonContent.Create(body, requestType), resultType, mutation, idempotent, ct, timeout);

    internal async Task<T> SendAsync<T>(
        HttpMethod method,
        string uri,
        Func<HttpContent>? content,
        JsonTypeInfo<T>? resultType,
        Mutation? mutation,
        bool idempotent,
        CancellationToken ct,
        TimeSpan? timeout = null)
    {
        var pipeline = idempotent ? Resilience.Idempotent : Resilience.Once;
        var context = ResilienceContextPool.Shared.Get(ct);
        if (timeout is { } limit)
            context.Properties.Set(OriginResilience.AttemptTimeoutKey, limit);
        try
        {
            return await pipeline.ExecuteAsync(
                async ctx =>
                {
                    using var request = new HttpRequestMessage(method, uri) { Content = content?.Invoke() };
                    mutation?.Apply(request);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                    await ThrowIfRefusedAsync(response, ctx.CancellationToken).ConfigureAwait(false);
                    if (resultType is null || response.StatusCode == HttpStatusCode.NoContent)
                        return default!;
                    return await response.Content.ReadFromJsonAsync(resultType, ctx.CancellationToken).ConfigureAwait(false)
                        ?? throw new OriginUnavailableException($"the origin sent an empty answer to {method} {uri}");
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, ct))
        {
            throw new OriginUnavailableException($"the origin at {Origin} is unavailable: {e.Message}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>A failure that means "could not talk to the origin" (not a refusal, not the caller's own cancellation).</summary>
    private static bool IsUnreachable(Exception e, CancellationToken ct) =>
        e is Polly.CircuitBreaker.BrokenCircuitException
        || (e is not OriginException and not OriginUnavailableException && !ct.IsCancellationRequested && OriginResilience.IsTransient(e));

    internal static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        ProblemReport? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(Json.ProblemReport, ct).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not one of ours (a proxy's error page): described by the status alone below.
        }

        throw new OriginException(
            response.StatusCode,
            problem ?? new ProblemReport(ErrorCode.Internal, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
    }
}

/// <summary>Who makes a mutation: the session, and the write lease's epoch when the file is leased.</summary>
public sealed record Mutation(string SessionId, long? Epoch = null)
{
    internal void Apply(HttpRequestMessage request)
    {
        request.Headers.Add(Headers.Session, SessionId);
        if (Epoch is { } epoch)
            request.Headers.Add(Headers.LeaseEpoch, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
