using System.Collections.Concurrent;
using System.Net;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// A steady closed-loop load of idempotent GETs through a gateway, counting every outcome: the figure a rolling restart
/// or a kill is judged by. Each worker sends one request at a time, so "in flight" is at most the worker count.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string[] _paths;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<LoadFailure> _failureDetails = new();
    private long _succeeded;

    public LoadGenerator(Uri gateway, string[] paths, int workers = 8, TimeSpan? requestTimeout = null)
    {
        _paths = paths;
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = gateway,
            Timeout = requestTimeout ?? TimeSpan.FromSeconds(40),
        };
        for (var i = 0; i < workers; i++)
        {
            var index = i;
            _workers.Add(Task.Run(() => RunAsync(index)));
        }
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>The same failures as <see cref="Failures"/>, with status and times, to attribute them to events.</summary>
    public IReadOnlyCollection<LoadFailure> FailureDetails => _failureDetails;

    /// <summary>Waits until at least <paramref name="count"/> more requests have succeeded.</summary>
    public async Task WaitForMoreSuccessesAsync(long count, TimeSpan timeout)
    {
        var target = Succeeded + count;
        var deadline = DateTime.UtcNow + timeout;
        while (Succeeded < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Succeeded} requests succeeded; expected {target}. Failures: {string.Join("; ", _failures.Take(5))}");
            }

            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(int worker)
    {
        var i = worker;
        while (!_stop.IsCancellationRequested)
        {
            var path = _paths[i++ % _paths.Length];
            var started = DateTime.UtcNow;
            try
            {
                using var response = await _client.GetAsync(path, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    var ended = DateTime.UtcNow;
                    _failureDetails.Enqueue(new LoadFailure(path, (int)response.StatusCode, started, ended, Error: null));
                    _failures.Enqueue($"{path}: {(int)response.StatusCode} after {(ended - started).TotalMilliseconds:F0} ms");
                }
            }
            catch (Exception ex)
            {
                var ended = DateTime.UtcNow;
                _failureDetails.Enqueue(new LoadFailure(path, Status: null, started, ended, $"{ex.GetType().Name}: {ex.Message}"));
                _failures.Enqueue($"{path}: {ex.GetType().Name} after {(ended - started).TotalMilliseconds:F0} ms: {ex.Message}");
            }
        }
    }
}
