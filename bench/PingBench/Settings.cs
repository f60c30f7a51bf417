using System.Globalization;
using Cluster.Runtime.Identity;

namespace Cluster.PingBench;

/// <summary>The command line (see Program.cs for the usage).</summary>
internal sealed record Settings(
    BenchMode Mode,
    GrainLayout Grains,
    int Callers,
    int Seconds,
    int Warmup,
    int Runs,
    int Payload,
    bool Serve,
    int Port,
    SiloAddress? Target,
    string? ConnectionString,
    string ClusterId,
    string Secret,
    int? SiloPid,
    bool AllocationTypes)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(
            Mode: BenchMode.Runtime,
            Grains: GrainLayout.Shared,
            Callers: 100,
            Seconds: 10,
            Warmup: 3,
            Runs: 1,
            Payload: 64,
            Serve: false,
            Port: 0,
            Target: null,
            ConnectionString: null,
            ClusterId: "pingbench",
            Secret: "pingbench-secret",
            SiloPid: null,
            AllocationTypes: false);
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--runtime" => settings with { Mode = BenchMode.Runtime },
                "--transport" => settings with { Mode = BenchMode.Transport },
                "--grains" => settings with { Grains = Layout(args, ++i) },
                "--callers" => settings with { Callers = Int(args, ++i) },
                "--seconds" => settings with { Seconds = Int(args, ++i) },
                "--warmup" => settings with { Warmup = Int(args, ++i) },
                "--runs" => settings with { Runs = Int(args, ++i) },
                "--payload" => settings with { Payload = Int(args, ++i) },
                "--port" => settings with { Port = Int(args, ++i) },
                "--serve" => settings with { Serve = true },
                "--target" => settings with
                {
                    Target = SiloAddress.TryParse(Arg(args, ++i), out var target) ? target : throw new ArgumentException($"Not host:port@generation: {args[i]}"),
                },
                "--postgres" => settings with { ConnectionString = Arg(args, ++i) },
                "--cluster-id" => settings with { ClusterId = Arg(args, ++i) },
                "--secret" => settings with { Secret = Arg(args, ++i) },
                "--silo-pid" => settings with { SiloPid = Int(args, ++i) },
                "--alloc-types" => settings with { AllocationTypes = true },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        if (settings.Callers < 1 || settings.Seconds < 1 || settings.Runs < 1 || settings.Warmup < 0 || settings.Payload < 0)
        {
            throw new ArgumentException("--callers, --seconds and --runs must be at least 1, --warmup and --payload at least 0.");
        }

        if (settings.Mode == BenchMode.Runtime && settings.Target is not null)
        {
            throw new ArgumentException("--target is for --transport; with --runtime the client finds the silo in the membership table (--postgres).");
        }

        if (settings.Mode == BenchMode.Runtime && settings.Serve && settings.ConnectionString is null)
        {
            throw new ArgumentException("--runtime --serve needs --postgres <connection string>: a client in another process can only find the silo through a shared table.");
        }

        if (settings.SiloPid is not null && (settings.Serve || (settings.ConnectionString is null && settings.Target is null)))
        {
            throw new ArgumentException("--silo-pid is for a client-only run (--postgres or --target): it names the silo's process.");
        }

        if (settings.Mode == BenchMode.Transport && settings.ConnectionString is not null)
        {
            throw new ArgumentException("--postgres is for --runtime; --transport has no membership.");
        }

        return settings;
    }

    private static int Int(string[] args, int i) => int.Parse(Arg(args, i), CultureInfo.InvariantCulture);

    private static string Arg(string[] args, int i)
        => i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static GrainLayout Layout(string[] args, int i) => Arg(args, i) switch
    {
        "shared" => GrainLayout.Shared,
        "per-caller" => GrainLayout.PerCaller,
        _ => throw new ArgumentException($"--grains is 'shared' (one [Reentrant] grain for every caller) or 'per-caller' (a non-reentrant grain each), not '{args[i]}'."),
    };
}
