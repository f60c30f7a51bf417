namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>
/// Asks a <see cref="HopGrain"/> to call the next key of <see cref="Route"/> (comma-separated; the rest goes along) and
/// answer "key&gt;answer of the next"; an empty route answers the key. <see cref="Mode"/> says how the first call is made.
/// </summary>
public sealed record HopRequest(string Route, HopMode Mode);
