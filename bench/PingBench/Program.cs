using Cluster.PingBench;

// Orleans' ping benchmark shape: closed-loop callers over loopback, calls/s, latency percentiles, allocations and CPU
// per call. Usage (from the repository root):
//   dotnet run -c Release --project bench/PingBench -- [--runtime | --transport] [options]
// --runtime (the default): real grain calls through the cluster runtime (see RuntimeBench);
//     --grains shared        every caller calls one [Reentrant] grain (the default);
//     --grains per-caller    each caller calls its own non-reentrant grain;
//     --postgres <cs> --serve [--port 11111]   runs only a silo, in a cluster kept in PostgreSQL;
//     --postgres <cs> [--silo-pid <pid>]       runs only the client, against the silos of that cluster (with the
//                                              silo's pid, its CPU per call is reported too);
//     --cluster-id pingbench --secret pingbench-secret   must match between the two;
// --transport: IClusterTransport straight against an echo handler (the transport's own figure);
//     --serve --port 11111                     runs only the echo listener (prints its address);
//     --target 127.0.0.1:11111@<generation> [--silo-pid <pid>]   runs only the client side against it.
// Common: --callers 100 --seconds 10 --warmup 3 --runs 1 --payload 64; --alloc-types adds the allocations by type
// (of the last run, sampled by the runtime).
var settings = Settings.Parse(args);
if (settings.Mode == BenchMode.Transport)
{
    await TransportBench.RunAsync(settings);
}
else
{
    await RuntimeBench.RunAsync(settings);
}
