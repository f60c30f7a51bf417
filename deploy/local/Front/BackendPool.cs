using Microsoft.Extensions.Options;

namespace Cluster.LocalFront;

/// <summary>
/// The gateways the front may send to: every address listed in <see cref="FrontOptions.BackendsFile"/> whose
/// <c>/_cluster/readyz</c> answered 200 in the last probe round (a Kubernetes Service's ready endpoints). A gateway
/// that refuses a connection is taken out at once, until a later probe finds it ready again.
/// </summary>
internal sealed partial class BackendPool : BackgroundService
{
    private readonly FrontOptions _options;
    private readonly HttpClient _probeClient;
    private readonly ILogger _logger;
    private volatile BackendState[] _all = [];
    private volatile Uri[] _ready = [];
    private int _next;

    public BackendPool(IOptions<FrontOptions> options, ILogger<BackendPool> logger)
    {
        _options = options.Value;
        _logger = logger;
        // No connection reuse: a probe must see a gateway that stopped listening, not a pooled socket.
        _probeClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
        {
            Timeout = _options.ProbeTimeout,
        };
    }

    /// <summary>Every listed gateway with its last probe result.</summary>
    public IReadOnlyList<BackendState> All => _all;

    /// <summary>The next ready gateway in round-robin order other than <paramref name="exclude"/>, or null if there is none.</summary>
    public Uri? Next(Uri? exclude = null)
    {
        var ready = _ready;
        for (var i = 0; i < ready.Length; i++)
        {
            var candidate = ready[(int)((uint)Interlocked.Increment(ref _next) % (uint)ready.Length)];
            if (candidate != exclude)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A connection to <paramref name="backend"/> failed: send nothing more to it until a probe finds it ready.</summary>
    public void MarkFailed(Uri backend)
    {
        _ready = [.. _ready.Where(b => b != backend)];
        foreach (var state in _all)
        {
            if (state.Address == backend)
            {
                state.Ready = false;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ProbeInterval);
        do
        {
            await ProbeAllAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _probeClient.Dispose();
        base.Dispose();
    }

    private async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var listed = await ReadBackendsAsync(cancellationToken);
        var previous = _all.ToDictionary(static s => s.Address);
        var states = listed.Select(address => previous.GetValueOrDefault(address) ?? new BackendState(address)).ToArray();
        var results = await Task.WhenAll(states.Select(state => ProbeAsync(state.Address, cancellationToken)));
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i].Ready != results[i])
            {
                Log.ReadinessChanged(_logger, states[i].Address, results[i]);
            }

            states[i].Ready = results[i];
        }

        _all = states;
        _ready = [.. states.Where(static s => s.Ready).Select(static s => s.Address)];
    }

    private async Task<Uri[]> ReadBackendsAsync(CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(_options.BackendsFile, cancellationToken);
        }
        catch (IOException ex)
        {
            // A missing or half-replaced file keeps the previous list (the scripts replace it with a rename).
            Log.BackendsFileUnreadable(_logger, _options.BackendsFile, ex.Message);
            return [.. _all.Select(static s => s.Address)];
        }

        var addresses = new List<Uri>();
        foreach (var line in lines.Select(static l => l.Trim()).Where(static l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (Uri.TryCreate(line, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            {
                addresses.Add(uri);
            }
            else
            {
                Log.BadBackendLine(_logger, _options.BackendsFile, line);
            }
        }

        return [.. addresses.Distinct()];
    }

    private async Task<bool> ProbeAsync(Uri backend, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probeClient.GetAsync(new Uri(backend, "/_cluster/readyz"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the probe timed out
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Gateway {Backend} ready: {Ready}.")]
        public static partial void ReadinessChanged(ILogger logger, Uri backend, bool ready);

        [LoggerMessage(2, LogLevel.Warning, "The backends file {File} could not be read ({Reason}); keeping the previous list.")]
        public static partial void BackendsFileUnreadable(ILogger logger, string file, string reason);

        [LoggerMessage(3, LogLevel.Warning, "The backends file {File} has a line that is not an http:// address: '{Line}'.")]
        public static partial void BadBackendLine(ILogger logger, string file, string line);
    }
}
