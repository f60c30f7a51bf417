using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>The bounded waits the membership tests share (the machine is slow and shared; nothing here times performance).</summary>
internal static class Waits
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing after <see cref="MembershipTestCluster.WaitTimeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow + MembershipTestCluster.WaitTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Never saw {what} within {MembershipTestCluster.WaitTimeout}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Moves the fake clock in small steps until the next probe starts (monitors arm their timers asynchronously).</summary>
    public static async Task UntilProbeAsync(FakeTimeProvider time, ScriptedProbeTransport transport)
    {
        var deadline = DateTime.UtcNow + MembershipTestCluster.WaitTimeout;
        while (!transport.Probes.TryRead(out _))
        {
            Assert.True(DateTime.UtcNow < deadline, "No probe happened.");
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
    }
}
