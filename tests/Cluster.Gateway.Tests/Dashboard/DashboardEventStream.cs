using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>
/// A viewer of <c>GET /_cluster/dashboard/events</c> over a real connection: reads the server-sent events one at a time.
/// Disposing it closes the connection, as a closed browser tab does.
/// </summary>
internal sealed class DashboardEventStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private DashboardEventStream(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream (with the headers given, e.g. a cookie or a bearer token) and checks it answered 200.</summary>
    public static async Task<DashboardEventStream> OpenAsync(Uri gateway, params (string Name, string Value)[] headers)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_cluster/dashboard/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TestTimeouts.Default);
        var body = await response.Content.ReadAsStreamAsync();
        return new DashboardEventStream(client, response, new StreamReader(body));
    }

    /// <summary>The next <c>snapshot</c> event's data.</summary>
    public async Task<DashboardSnapshot> ReadSnapshotAsync()
    {
        var (name, data) = await ReadEventAsync().WaitAsync(TestTimeouts.Default);
        Assert.Equal("snapshot", name);
        return JsonSerializer.Deserialize(data, DashboardJsonContext.Default.DashboardSnapshot)!;
    }

    /// <summary>Reads snapshots until one satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<DashboardSnapshot> WaitForAsync(Func<DashboardSnapshot, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        DashboardSnapshot? last = null;
        while (!deadline.IsCancellationRequested)
        {
            var (name, data) = await ReadEventAsync().WaitAsync(deadline.Token);
            if (name != "snapshot")
            {
                continue;
            }

            last = JsonSerializer.Deserialize(data, DashboardJsonContext.Default.DashboardSnapshot)!;
            if (condition(last))
            {
                return last;
            }
        }

        throw new TimeoutException("No snapshot met the condition; the last was " + (last is null ? "none" : JsonSerializer.Serialize(last, DashboardJsonContext.Default.DashboardSnapshot)));
    }

    /// <summary>The next event (its <c>event:</c> name and <c>data:</c>); comment and <c>retry:</c> blocks are skipped.</summary>
    public async Task<(string Name, string Data)> ReadEventAsync()
    {
        string? name = null;
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync() ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return (name ?? "message", string.Join('\n', data));
                }

                name = null;
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
