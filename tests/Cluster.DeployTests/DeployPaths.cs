namespace Cluster.DeployTests;

internal static class DeployPaths
{
    public static string Deploy { get; } = Path.Combine(RepositoryPaths.Root, "deploy");

    public static string K8s { get; } = Path.Combine(Deploy, "k8s");

    public static string Overlay(string name) => Path.Combine(K8s, "overlays", name);

    public static IEnumerable<string> Overlays => Directory.GetDirectories(Path.Combine(K8s, "overlays")).Select(Path.GetFileName)!;
}
