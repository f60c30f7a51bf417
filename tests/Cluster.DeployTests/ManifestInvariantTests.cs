using Cluster.DeployTests.Manifests;
using Cluster.Runtime.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.DeployTests;

public sealed class ManifestInvariantTests
{
    [Theory]
    [MemberData(nameof(RenderedOverlays.Names), MemberType = typeof(RenderedOverlays))]
    public void CheckAll_RenderedOverlay_HoldsEveryInvariant(string overlay)
    {
        // Arrange
        var manifests = RenderedOverlays.Render(overlay);

        // Act
        var violations = AllChecks(manifests);

        // Assert
        Assert.Empty(violations);
    }

    [Fact]
    public void CheckProbes_PathTheCodeDoesNotMap_Fails()
    {
        var manifests = Dev();
        Container(manifests, "silo")["livenessProbe"]!["httpGet"]!["path"] = "/healthz";

        Assert.Contains(ManifestInvariants.CheckProbes(manifests, MappedPaths()), v => v.Contains("/healthz", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckProbes_MissingReadinessProbe_Fails()
    {
        var manifests = Dev();
        Container(manifests, "gateway").Remove("readinessProbe");

        Assert.Contains(ManifestInvariants.CheckProbes(manifests, MappedPaths()), v => v.Contains("readinessProbe", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckPorts_ClusterPortNotSiloPort_Fails()
    {
        var manifests = Dev();
        var ports = (JsonArray)Container(manifests, "silo")["ports"]!;
        ports.OfType<JsonObject>().Single(p => (string?)p["name"] == "cluster")["containerPort"] = 22222;

        Assert.Contains(ManifestInvariants.CheckPorts(manifests), v => v.Contains("Silo__Port", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckEnvironmentVariables_UnknownSetting_Fails()
    {
        var manifests = Dev();
        ((JsonArray)Container(manifests, "gateway")["env"]!).Add(new JsonObject { ["name"] = "Gateway__HostSilos", ["value"] = "false" });

        Assert.Contains(ManifestInvariants.CheckEnvironmentVariables(manifests), v => v.Contains("Gateway__HostSilos", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckGracePeriod_ShorterThanDrainAndDeactivation_Fails()
    {
        var manifests = Dev();
        ManifestInvariants.PodSpec(ManifestInvariants.Workload(manifests, "silo"))["terminationGracePeriodSeconds"] = 60;

        Assert.Contains(ManifestInvariants.CheckGracePeriod(manifests), v => v.StartsWith("silo:", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckGracePeriod_LongerDrainInTheConfigMap_Fails()
    {
        var manifests = Dev();
        var configMap = ManifestInvariants.OfKind(manifests, "ConfigMap").Single();
        configMap["data"]!["Cluster__Runtime__DrainTimeout"] = "00:01:00";

        Assert.NotEmpty(ManifestInvariants.CheckGracePeriod(manifests));
    }

    [Fact]
    public void CheckGracePeriod_GatewayDrainDelayTooLong_Fails()
    {
        var manifests = Dev();
        GatewayEnvironmentVariable(manifests, "Gateway__DrainDelay")["value"] = "00:00:30";

        Assert.Contains(ManifestInvariants.CheckGracePeriod(manifests), v => v.StartsWith("gateway:", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckGatewayDrainWindow_NoDrainDelayNorPreStop_Fails()
    {
        var manifests = Dev();
        var container = Container(manifests, "gateway");
        var environment = (JsonArray)container["env"]!;
        environment.Remove(GatewayEnvironmentVariable(manifests, "Gateway__DrainDelay"));
        container.Remove("lifecycle");

        Assert.Single(ManifestInvariants.CheckGatewayDrainWindow(manifests));
    }

    [Theory]
    [InlineData("cluster-silo")]
    [InlineData("cluster-silo:latest")]
    [InlineData("registry.example.com:5000/cluster-silo")]
    public void CheckImages_UntaggedOrLatest_Fails(string image)
    {
        var manifests = Dev();
        Container(manifests, "silo")["image"] = image;

        Assert.Single(ManifestInvariants.CheckImages(manifests));
    }

    [Fact]
    public void CheckNetworkPolicy_SiloPortOpenToAnyone_Fails()
    {
        var manifests = Dev();
        var rule = SiloPortRule(manifests);
        rule.Remove("from");

        Assert.Contains(ManifestInvariants.CheckNetworkPolicy(manifests), v => v.Contains("from anywhere", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckNetworkPolicy_SiloPortOpenToOtherNamespaces_Fails()
    {
        var manifests = Dev();
        ((JsonArray)SiloPortRule(manifests)["from"]!).Add(new JsonObject { ["namespaceSelector"] = new JsonObject() });

        Assert.Contains(ManifestInvariants.CheckNetworkPolicy(manifests), v => v.Contains("other namespaces", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckNetworkPolicy_PolicyNoLongerSelectsSilos_Fails()
    {
        var manifests = Dev();
        var policy = ManifestInvariants.OfKind(manifests, "NetworkPolicy").Single(p => ManifestInvariants.NameOf(p) == "cluster-silo");
        policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/component"] = "silos";

        Assert.Contains(ManifestInvariants.CheckNetworkPolicy(manifests), v => v.Contains("selects the silo pods", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckNetworkPolicy_RuleNotCoveringSiloPort_Fails()
    {
        var manifests = Dev();
        SiloPortRule(manifests)["ports"]![0]!["port"] = 11112;

        Assert.Contains(ManifestInvariants.CheckNetworkPolicy(manifests), v => v.StartsWith("No NetworkPolicy rule admits", StringComparison.Ordinal));
    }

    [Fact]
    public void MappedPaths_ClusterEndpoints_IncludeTheProbePaths()
    {
        var paths = MappedPaths();

        Assert.Contains("/_cluster/readyz", paths);
        Assert.Contains("/_cluster/healthz", paths);
        Assert.Contains("/_cluster/metrics", paths);
    }

    private static List<string> AllChecks(IReadOnlyList<JsonObject> manifests) =>
    [
        .. ManifestInvariants.CheckProbes(manifests, MappedPaths()),
        .. ManifestInvariants.CheckPorts(manifests),
        .. ManifestInvariants.CheckEnvironmentVariables(manifests),
        .. ManifestInvariants.CheckGracePeriod(manifests),
        .. ManifestInvariants.CheckGatewayDrainWindow(manifests),
        .. ManifestInvariants.CheckImages(manifests),
        .. ManifestInvariants.CheckNetworkPolicy(manifests),
    ];

    private static List<JsonObject> Dev()
    {
        var manifests = RenderedOverlays.Render("dev");
        Assert.Empty(AllChecks(manifests)); // the mutation below is what fails, not the starting point
        return manifests;
    }

    private static JsonObject GatewayEnvironmentVariable(IReadOnlyList<JsonObject> manifests, string name) =>
        ((JsonArray)Container(manifests, "gateway")["env"]!).Cast<JsonObject>().Single(e => e["name"]!.ToString() == name);

    private static JsonObject Container(IReadOnlyList<JsonObject> manifests, string component) =>
        ManifestInvariants.Containers(ManifestInvariants.Workload(manifests, component)).Single();

    private static JsonObject SiloPortRule(IReadOnlyList<JsonObject> manifests) =>
        ManifestInvariants.OfKind(manifests, "NetworkPolicy").Single(p => ManifestInvariants.NameOf(p) == "cluster-silo")["spec"]!["ingress"]!
            .AsArray().OfType<JsonObject>().Single(r => r["from"] is not null);

    /// <summary>The paths MapClusterEndpoints maps, read from the endpoints of an application that is built but not started.</summary>
    private static HashSet<string> MappedPaths()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IClusterReadiness, NeverReady>();
        builder.Services.AddRouting();
        using var app = builder.Build();
        app.MapClusterEndpoints();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(static d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(static e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(static p => !p.Contains('{', StringComparison.Ordinal))
            .ToHashSet();
    }

    private sealed class NeverReady : IClusterReadiness
    {
        public bool IsReady => false;

        public string State => "Test";
    }
}
