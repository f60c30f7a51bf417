namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>What the echo handler saw, as it answers it in JSON.</summary>
public sealed record EchoBody(
    string Method,
    string Path,
    string QueryString,
    string Url,
    Dictionary<string, string> Headers,
    Dictionary<string, string[]> Query,
    string Body);
