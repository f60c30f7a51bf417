using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class ClusterMembershipOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndDeclareAFrozenSiloDeadWithinTenSeconds()
    {
        var options = new ClusterMembershipOptions();

        Assert.True(new ClusterMembershipOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("Cluster:Liveness", ClusterMembershipOptions.SectionName);

        // Sequential probes that each time out, plus the period before the first missed one.
        var worstFrozen = options.ProbePeriod + (options.ProbeTimeout * options.NumMissedProbesLimit);
        Assert.True(worstFrozen < TimeSpan.FromSeconds(10), $"{worstFrozen}");
    }

    [Fact]
    public void Validate_OutOfRange_Fails()
    {
        var options = new ClusterMembershipOptions { NumMissedProbesLimit = 0, ProbeTimeout = TimeSpan.Zero };

        var result = new ClusterMembershipOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(nameof(ClusterMembershipOptions.NumMissedProbesLimit), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(ClusterMembershipOptions.ProbeTimeout), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VotesExpireBeforeDetection_FailsNamingTheSetting()
    {
        var options = new ClusterMembershipOptions { DeathVoteExpiration = TimeSpan.FromSeconds(5) };

        var result = new ClusterMembershipOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Cluster:Liveness:DeathVoteExpiration", result.FailureMessage, StringComparison.Ordinal);
    }
}
