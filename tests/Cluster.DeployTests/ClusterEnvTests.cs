using Cluster.DeployTests.Manifests;

namespace Cluster.DeployTests;

public sealed class ClusterEnvTests
{
    [Fact]
    public void ClusterEnv_SharedFile_IsTheOneTheConfigMapIsGeneratedFrom()
    {
        var shared = File.ReadAllText(Path.Combine(DeployPaths.Deploy, "cluster.env"));
        var generated = File.ReadAllText(Path.Combine(DeployPaths.K8s, "base", "cluster.env"));

        Assert.Equal(generated, shared);
    }

    [Fact]
    public void ClusterEnv_EveryKey_IsARealSetting()
    {
        var keys = File.ReadAllLines(Path.Combine(DeployPaths.Deploy, "cluster.env"))
            .Select(static l => l.Trim())
            .Where(static l => l.Length > 0 && !l.StartsWith('#'))
            .Select(static l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, static k => Assert.True(SettingsCatalog.IsKnownVariable(k), $"{k} is not a setting."));
    }

    [Theory]
    [InlineData("Cluster__Membership", true)]
    [InlineData("Cluster__Runtime__DrainTimeout", true)]
    [InlineData("Cluster__Runtime__GrainCollection__DeactivationTimeout", true)]
    [InlineData("Cluster__Routes__StatelessWorkers__0", true)]
    [InlineData("Cluster__Liveness__ProbePeriod", true)]
    [InlineData("Gateway__NearCache__MaxBytes", true)]
    [InlineData("silo__port", true)]
    [InlineData("ASPNETCORE_HTTP_PORTS", true)]
    [InlineData("Cluster__DrainTimeout", false)]
    [InlineData("Cluster__Routes__StatelessWorkers__x", false)]
    [InlineData("Silo__Port__Extra", false)]
    [InlineData("Gateway__HostSilos", false)]
    [InlineData("CLUSTER_SECRET", false)]
    public void IsKnownVariable_Name_MatchesTheOptionsClasses(string variable, bool expected)
    {
        Assert.Equal(expected, SettingsCatalog.IsKnownVariable(variable));
    }
}
