using Cluster.DeployTests.Kustomize;

namespace Cluster.DeployTests.Manifests;

/// <summary>Static checks of a Dockerfile (no engine here to build it): multi-stage SDK → ASP.NET, ClusterApp, restore before sources, non-root, no HEALTHCHECK.</summary>
internal static class DockerfileInvariants
{
    public static List<string> Check(string text, string assemblyName, IReadOnlyCollection<int> ports)
    {
        var instructions = Instructions(text);
        var violations = new List<string>();
        var froms = instructions.Where(static i => i.Op == "FROM").ToList();
        if (froms.Count < 2)
        {
            violations.Add("Not multi-stage: fewer than two FROM instructions.");
        }
        else
        {
            if (!froms[0].Args.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal))
            {
                violations.Add($"The build stage is not the .NET SDK image: FROM {froms[0].Args}.");
            }

            if (!froms[^1].Args.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal))
            {
                violations.Add($"The final stage is not the ASP.NET runtime image: FROM {froms[^1].Args}.");
            }
        }

        foreach (var from in froms)
        {
            var image = from.Args.Split(' ')[0];
            var (_, tag, digest) = ImageReference.Parse(image);
            if (digest is null && (tag is null || tag == "latest"))
            {
                violations.Add($"FROM {image} is untagged or 'latest'.");
            }
        }

        if (instructions.Any(static i => i.Op == "HEALTHCHECK"))
        {
            violations.Add("Has a HEALTHCHECK (Kubernetes probes check health).");
        }

        var finalStage = froms.Count == 0 ? instructions : instructions.SkipWhile(i => i != froms[^1]).ToList();
        var user = finalStage.Where(static i => i.Op == "USER").Select(static i => i.Args).LastOrDefault();
        if (user is null or "root" or "0" || user.StartsWith("root:", StringComparison.Ordinal) || user.StartsWith("0:", StringComparison.Ordinal))
        {
            violations.Add($"The final stage runs as root (USER {user ?? "missing"}).");
        }

        if (!instructions.Any(static i => i.Op == "ARG" && i.Args.StartsWith("ClusterApp", StringComparison.Ordinal))
            || !instructions.Any(static i => i.Op == "RUN" && i.Args.Contains("dotnet publish", StringComparison.Ordinal) && i.Args.Contains("-p:ClusterApp=", StringComparison.Ordinal)))
        {
            violations.Add("The app is not chosen at build time (ARG ClusterApp passed to dotnet publish -p:ClusterApp=).");
        }

        var restore = instructions.FindIndex(static i => i.Op == "RUN" && i.Args.Contains("dotnet restore", StringComparison.Ordinal));
        var sources = instructions.FindIndex(static i => i.Op == "COPY" && i.Args.Trim() is ". ." or ". ./");
        if (restore < 0 || sources < 0 || restore > sources)
        {
            violations.Add("No restore layer before the sources are copied (RUN dotnet restore before COPY . .).");
        }

        var exposed = instructions.Where(static i => i.Op == "EXPOSE").SelectMany(static i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(static p => p.Split('/')[0]).ToHashSet();
        foreach (var port in ports.Where(p => !exposed.Contains(p.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            violations.Add($"Port {port} is not EXPOSEd.");
        }

        var entrypoint = finalStage.Where(static i => i.Op == "ENTRYPOINT").Select(static i => i.Args).LastOrDefault() ?? string.Empty;
        if (!entrypoint.Contains($"\"{assemblyName}.dll\"", StringComparison.Ordinal))
        {
            violations.Add($"The ENTRYPOINT does not run {assemblyName}.dll.");
        }

        return violations;
    }

    /// <summary>The instructions, with line continuations joined and comments dropped.</summary>
    public static List<(string Op, string Args)> Instructions(string text)
    {
        var result = new List<(string Op, string Args)>();
        var current = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            var trimmed = current.Trim();
            current = string.Empty;
            if (trimmed.Length == 0)
            {
                continue;
            }

            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            result.Add(space < 0
                ? (trimmed.ToUpperInvariant(), string.Empty)
                : (trimmed[..space].ToUpperInvariant(), string.Join(' ', trimmed[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        }

        return result;
    }
}
