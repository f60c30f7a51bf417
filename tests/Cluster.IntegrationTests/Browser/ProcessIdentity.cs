namespace Cluster.IntegrationTests.Browser;

/// <summary>One process as <see cref="ProcessTree"/> saw it: pid, command name, and start time in clock ticks since boot.</summary>
internal readonly record struct ProcessIdentity(int Pid, string Name, long StartTicks)
{
    public override string ToString() => $"{Name} (pid {Pid})";
}
