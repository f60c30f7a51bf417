using Cluster.DeployTests.Kustomize;

namespace Cluster.DeployTests;

/// <summary>The overlays the tests render: dev, production, and production with every optional component.</summary>
internal static class RenderedOverlays
{
    public const string AllComponents = "production+components";

    public static TheoryData<string> Names => ["dev", "production", AllComponents];

    /// <summary>The folder to render; for <see cref="AllComponents"/>, a temporary kustomization (paths relative: kustomize refuses absolute ones).</summary>
    public static string Directory(string name)
    {
        if (name != AllComponents)
        {
            return DeployPaths.Overlay(name);
        }

        var folder = Path.Combine(Path.GetTempPath(), "cluster-deploytests-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(folder);
        var k8s = Path.GetRelativePath(folder, DeployPaths.K8s).Replace('\\', '/');
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - {k8s}/overlays/production
            components:
              - {k8s}/components/gateway-api
              - {k8s}/components/prometheus-operator
            """);
        return folder;
    }

    public static List<JsonObject> Render(string name) => KustomizeRenderer.Render(Directory(name));
}
