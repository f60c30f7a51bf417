namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Asks a <see cref="SleepGrain"/> to hold its (blocking) turn for <see cref="Milliseconds"/>; counted by <see cref="Tag"/>.</summary>
public sealed record SleepRequest(string Tag, int Milliseconds);
