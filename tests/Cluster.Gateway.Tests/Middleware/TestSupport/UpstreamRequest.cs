namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>What an <see cref="UpstreamServer"/> received.</summary>
public sealed record UpstreamRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
