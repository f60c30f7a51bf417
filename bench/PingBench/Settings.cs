using System.Globalization;
using Cluster.Runtime.Identity;

namespace Cluster.PingBench;

/// <summary>The command line.</summary>
internal sealed record Settings(int Callers, int Seconds, int Warmup, int Payload, bool Serve, int Port, SiloAddress? Target)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(Callers: 100, Seconds: 10, Warmup: 3, Payload: 64, Serve: false, Port: 0, Target: null);
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--callers" => settings with { Callers = Int(args, ++i) },
                "--seconds" => settings with { Seconds = Int(args, ++i) },
                "--warmup" => settings with { Warmup = Int(args, ++i) },
                "--payload" => settings with { Payload = Int(args, ++i) },
                "--port" => settings with { Port = Int(args, ++i) },
                "--serve" => settings with { Serve = true },
                "--target" => settings with
                {
                    Target = SiloAddress.TryParse(args[++i], out var target) ? target : throw new ArgumentException($"Not host:port@generation: {args[i]}"),
                },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return settings;
    }

    private static int Int(string[] args, int i) => int.Parse(args[i], CultureInfo.InvariantCulture);
}
