namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary>One sample line of a scrape: <c>name{labels} value</c>.</summary>
internal sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
