using System.Globalization;
using System.Runtime.InteropServices;

// A steady closed-loop load: CONNECTIONS workers, each sending one GET at a time, rotating over the paths, until SIGINT
// or SIGTERM; then the duration, and one line with the counts (the figures rollout-check.sh reads from wrk).
//   Cluster.LoadTool <base-url> <connections> <path>...
if (args.Length < 3 || !Uri.TryCreate(args[0], UriKind.Absolute, out var baseAddress)
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var connections) || connections < 1)
{
    await Console.Error.WriteLineAsync("usage: Cluster.LoadTool <base-url> <connections (1 or more)> <path>...");
    return 2;
}

var paths = args[2..];
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
{
    BaseAddress = baseAddress,
    Timeout = TimeSpan.FromSeconds(60),
};

long requests = 0, non2xx = 0, socketErrors = 0;
var clock = System.Diagnostics.Stopwatch.StartNew();
var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
{
    for (var i = worker; !stop.IsCancellationRequested; i++)
    {
        try
        {
            using var response = await client.GetAsync(paths[i % paths.Length], CancellationToken.None);
            await response.Content.CopyToAsync(Stream.Null);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref non2xx);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref socketErrors); // connect, read, write or timeout: wrk's "socket errors"
        }

        Interlocked.Increment(ref requests);
    }
})).ToArray();
await Task.WhenAll(workers);
Console.WriteLine($"{requests} requests in {clock.Elapsed.TotalSeconds:F1} s, {connections} connections");
Console.WriteLine($"non-2xx: {non2xx}, socket errors: {socketErrors}, requests: {requests}");
return 0;
