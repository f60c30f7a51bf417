namespace Cluster.Runtime.Tests.Networking;

/// <summary>The test grain message: <see cref="Op"/> tells <see cref="TestInboundHandler"/> what to do.</summary>
internal sealed record EchoRequest(string Op, string Text);
