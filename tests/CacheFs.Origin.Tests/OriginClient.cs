using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests;

/// <summary>A thin test client of the protocol: typed calls for the happy path, raw responses for refusals.</summary>
public sealed class OriginClient(HttpClient http) : IDisposable
{
    private static readonly ProtocolJson Json = ProtocolJson.Default;

    public HttpClient Http { get; } = http;

    public static string Q(string path) => Uri.EscapeDataString(path);

    public async Task<NodeInfo> NodeAsync(string path) => await GetJsonAsync($"{Routes.Node}?path={Q(path)}", Json.NodeInfo);

    public async Task<DirectoryListing> ListAsync(string path = "") => await GetJsonAsync($"{Routes.List}?path={Q(path)}", Json.DirectoryListing);

    public async Task<ChangeBatch> ChangesAsync(long since, int? limit = null) =>
        await GetJsonAsync($"{Routes.Changes}?since={since}" + (limit is null ? "" : $"&limit={limit}"), Json.ChangeBatch);

    public async Task<byte[]> ReadAsync(string path)
    {
        using var response = await Http.GetAsync($"{Routes.Content}?path={Q(path)}");
        await Ok(response);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public Task<HttpResponseMessage> PutRawAsync(string path, byte[] content, Action<HttpRequestMessage>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Routes.Content}?path={Q(path)}") { Content = new ByteArrayContent(content) };
        headers?.Invoke(request);
        return Http.SendAsync(request);
    }

    public async Task<NodeInfo> PutAsync(string path, byte[] content, Action<HttpRequestMessage>? headers = null)
    {
        using var response = await PutRawAsync(path, content, headers);
        return await ReadOk(response, Json.NodeInfo);
    }

    public Task<NodeInfo> PutAsync(string path, string text, Action<HttpRequestMessage>? headers = null) => PutAsync(path, Encoding.UTF8.GetBytes(text), headers);

    public Task<HttpResponseMessage> PostRawAsync<T>(string route, T body, JsonTypeInfo<T> type, string? session = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent(body, type) };
        if (session is not null)
            request.Headers.Add(Headers.Session, session);
        return Http.SendAsync(request);
    }

    public async Task<NodeInfo> OpAsync<T>(string route, T body, JsonTypeInfo<T> type, string? session = null)
    {
        using var response = await PostRawAsync(route, body, type, session);
        return await ReadOk(response, Json.NodeInfo);
    }

    public Task<NodeInfo> MkdirAsync(string path, uint mode = 0x1ED) =>
        OpAsync(Routes.MakeDirectory, new MakeDirectoryRequest(path, new NewNodeAttributes { Mode = mode }), Json.MakeDirectoryRequest);

    public async Task<SessionInfo> OpenSessionAsync(string client)
    {
        using var response = await PostRawAsync(Routes.Sessions, new OpenSessionRequest(client), Json.OpenSessionRequest);
        return await ReadOk(response, Json.SessionInfo);
    }

    public async Task<LeaseGrant> LeaseAsync(string session, string path, LeaseMode mode)
    {
        using var response = await LeaseRawAsync(session, path, mode);
        return await ReadOk(response, Json.LeaseGrant);
    }

    public Task<HttpResponseMessage> LeaseRawAsync(string session, string path, LeaseMode mode) =>
        PostRawAsync(Routes.Leases, new LeaseRequest(session, path, mode), Json.LeaseRequest);

    public async Task<LockResult> LockAsync(LockRequest request)
    {
        using var response = await PostRawAsync(Routes.Locks, request, Json.LockRequest);
        return await ReadOk(response, Json.LockResult);
    }

    public async Task<T> GetJsonAsync<T>(string uri, JsonTypeInfo<T> type)
    {
        using var response = await Http.GetAsync(uri);
        return await ReadOk(response, type);
    }

    public static async Task<T> ReadOk<T>(HttpResponseMessage response, JsonTypeInfo<T> type)
    {
        await Ok(response);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), type)!;
    }

    public static async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts a refusal: the status, and a problem report with the code.</summary>
    public static async Task<ProblemReport> Problem(HttpResponseMessage response, HttpStatusCode status, ErrorCode code)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be((int)status, body);
        var report = JsonSerializer.Deserialize(body, Json.ProblemReport)!;
        report.Code.Should().Be(code, body);
        report.Message.Should().NotBeNullOrWhiteSpace();
        Problems.StatusOf(code).Should().Be(status);
        return report;
    }

    public static long Cursor(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues(Headers.Cursor).Single(), CultureInfo.InvariantCulture);

    public static StringContent JsonContent<T>(T body, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(body, type), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public void Dispose() => Http.Dispose();
}
