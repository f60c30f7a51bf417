using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Membership;

/// <summary>
/// Failure detection and membership refresh (orleans-runtime.md §1.3–§1.6), section <c>Cluster:Liveness</c>
/// (<c>Cluster:Membership</c> is the setting that picks the table). The defaults declare a crashed silo dead in about
/// 2 seconds (refused connections trigger immediate re-probes) and a frozen one within about 7–10 seconds:
/// <see cref="NumMissedProbesLimit"/> probes of <see cref="ProbeTimeout"/> each, plus a vote and a table write.
/// </summary>
public sealed class ClusterMembershipOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Liveness";

    /// <summary>How often each monitored silo is probed (start to start; a slow probe delays the next one).</summary>
    /// <value>Default 1 second; 10 milliseconds to 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may wait for its answer before it counts as missed.</summary>
    /// <value>Default 2 seconds; 10 milliseconds to 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many probes in a row must be missed before the prober votes the silo dead.</summary>
    /// <value>Default 3; 1 to 100.</value>
    [Range(1, 100)]
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Whether the last probe before a vote (the one after <see cref="NumMissedProbesLimit"/> − 1 misses) goes through
    /// another Active silo, so that a broken path between two healthy silos does not get either voted dead.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EnableIndirectProbes { get; set; } = true;

    /// <summary>
    /// Whether a silo that looks degraded itself (starved thread pool, late timers, no probe answers, votes against it)
    /// waits longer for its probes: timeout × (1 + local degradation score, 0–8), so it does not accuse healthy peers.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ExtendProbeTimeoutDuringDegradation { get; set; } = true;

    /// <summary>
    /// How many fresh votes from distinct silos declare a silo dead; fewer when the cluster is small
    /// (at most half of the active, non-stale silos, rounded up).
    /// </summary>
    /// <value>Default 2; 1 to 100.</value>
    [Range(1, 100)]
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How many peers each silo monitors, chosen on that many hash rings so monitor sets overlap little.</summary>
    /// <value>Default 10; 1 to 100.</value>
    [Range(1, 100)]
    public int NumProbedSilos { get; set; } = 10;

    /// <summary>How long a vote counts; older votes are ignored and dropped at the next write of the row.</summary>
    /// <value>Default 2 minutes; 100 milliseconds to 1 day; must exceed the time it takes to miss every probe of the limit.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a silo writes its I-am-alive time (diagnostics and whole-cluster recovery, not the heartbeat).</summary>
    /// <value>Default 10 seconds; 10 milliseconds to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many I-am-alive periods a row may miss before it is stale: stale rows are probed by everyone (even joining
    /// silos) and do not count toward the votes needed to declare a silo dead.
    /// </summary>
    /// <value>Default 3; 1 to 100.</value>
    [Range(1, 100)]
    public int NumMissedTableIAmAliveLimit { get; set; } = 3;

    /// <summary>How often silos and gateways re-read the whole table (peers' notices make most changes arrive sooner).</summary>
    /// <value>Default 10 seconds; 10 milliseconds to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a silo may take to join (reach every active silo and write itself active) before its start fails.</summary>
    /// <value>Default 30 seconds; 100 milliseconds to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxJoinAttemptTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a row may go without an I-am-alive write before it is stale.</summary>
    internal TimeSpan StaleAfter => IAmAlivePeriod * NumMissedTableIAmAliveLimit;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Votes must outlive the time a second observer needs to miss its probes, or two votes never coexist.
        var detection = (ProbePeriod > ProbeTimeout ? ProbePeriod : ProbeTimeout) * NumMissedProbesLimit;
        if (DeathVoteExpiration <= detection)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DeathVoteExpiration)} ({DeathVoteExpiration}) must exceed {SectionName}:{nameof(NumMissedProbesLimit)} × "
                + $"max({nameof(ProbePeriod)}, {nameof(ProbeTimeout)}) ({detection}), or votes expire before a second silo can vote.",
                [nameof(DeathVoteExpiration), nameof(NumMissedProbesLimit), nameof(ProbePeriod), nameof(ProbeTimeout)]);
        }

        // A silo must be able to make at least one connectivity attempt within its join budget.
        if (MaxJoinAttemptTime <= ProbeTimeout)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MaxJoinAttemptTime)} ({MaxJoinAttemptTime}) must exceed {SectionName}:{nameof(ProbeTimeout)} ({ProbeTimeout}).",
                [nameof(MaxJoinAttemptTime), nameof(ProbeTimeout)]);
        }
    }
}
