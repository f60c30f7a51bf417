namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>A response read off a raw socket: status, headers (lower-case names) and body text.</summary>
public sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
