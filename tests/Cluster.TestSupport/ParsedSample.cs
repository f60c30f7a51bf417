namespace Cluster.TestSupport;

/// <summary>One sample line of a scrape: <c>name{labels} value</c>.</summary>
public sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
