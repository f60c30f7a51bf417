using Cluster.DeployTests.Kustomize;
using Xunit.Abstractions;

namespace Cluster.DeployTests;

public sealed class KustomizeRendererTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(RenderedOverlays.Names), MemberType = typeof(RenderedOverlays))]
    public async Task Render_Overlay_AgreesWithKubectlKustomize(string overlay)
    {
        // Arrange
        var ours = RenderedOverlays.Render(overlay);
        var kubectl = FindOnPath("kubectl");
        if (kubectl is null)
        {
            output.WriteLine($"kubectl is not on PATH: {overlay} was rendered by the offline renderer only ({ours.Count} objects).");
            Assert.NotEmpty(ours);
            return;
        }

        // Act
        var (exitCode, text) = await ProcessRunner.RunAsync(kubectl, ["kustomize", RenderedOverlays.Directory(overlay)], TimeSpan.FromMinutes(2));

        // Assert
        Assert.True(exitCode == 0, $"kubectl kustomize failed: {text}");
        var theirs = YamlDocuments.Parse(text, "kubectl kustomize");
        Assert.Equal(Keys(theirs).Order(), Keys(ours).Order());
        foreach (var ourObject in ours)
        {
            var theirObject = theirs.Single(t => Key(t) == Key(ourObject));
            Assert.True(JsonNode.DeepEquals(Normalize(theirObject), Normalize(ourObject)),
                $"{Key(ourObject)} differs.\nkubectl: {Normalize(theirObject).ToJsonString()}\nours:    {Normalize(ourObject).ToJsonString()}");
        }

        output.WriteLine($"{overlay}: {ours.Count} objects, the same from kubectl kustomize and the offline renderer.");
    }

    [Fact]
    public void Compute_OneLiteral_MatchesTheSuffixKubectlKustomizeGives()
    {
        // Arrange: `configMapGenerator: [{name: c, literals: [A=1]}]` renders as c-89g4tffbfk with kubectl v1.32 (kustomize v5.5).
        var configMap = new JsonObject { ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["A"] = "1" } };

        // Act
        var hash = GeneratorHash.Compute(configMap);

        // Assert
        Assert.Equal("89g4tffbfk", hash);
    }

    [Fact]
    public void Render_KustomizationWithUnsupportedField_Fails()
    {
        // Arrange
        var folder = Directory.CreateTempSubdirectory("cluster-deploytests-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), "namePrefix: x-\nresources: []\n");

            // Act
            var error = Assert.Throws<NotSupportedException>(() => KustomizeRenderer.Render(folder.FullName));

            // Assert
            Assert.Contains("namePrefix", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> Keys(List<JsonObject> manifests) => manifests.Select(Key);

    private static string Key(JsonObject manifest) =>
        $"{manifest["kind"]}/{manifest["metadata"]?["namespace"]}/{manifest["metadata"]?["name"]}";

    /// <summary>kubectl folds long Secret values over several lines; a plain scalar's fold becomes a space.</summary>
    private static JsonObject Normalize(JsonObject manifest)
    {
        var copy = (JsonObject)manifest.DeepClone();
        if ((string?)copy["kind"] == "Secret" && copy["data"] is JsonObject data)
        {
            foreach (var (key, value) in data.ToList())
            {
                data[key] = string.Concat(((string?)value ?? string.Empty).Where(static c => !char.IsWhiteSpace(c)));
            }
        }

        return copy;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
