using System.ComponentModel.DataAnnotations;

namespace Cluster.Grains.Caching;

/// <summary>
/// How <c>GenerateStaticParams</c> is evaluated and prerendered, section <c>Cluster:Cache</c> (the route cache's
/// section; these are the keys of the static-params part of it). Gateways read the timeout, silos both.
/// </summary>
internal sealed class StaticParamsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Cache";

    /// <summary>
    /// How long one route's <c>GenerateStaticParams</c> may take (the call and the enumeration of its result) when a
    /// process starts. A route that takes longer is logged as an error and fails open: none of its paths is refused.
    /// </summary>
    /// <value>Default 30 seconds; from 1 ms to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan StaticParamsTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many listed paths a silo prerenders at the same time before it reports ready.</summary>
    /// <value>Default 4; from 1 to 1024.</value>
    [Range(1, 1024)]
    public int PrerenderConcurrency { get; set; } = 4;
}
