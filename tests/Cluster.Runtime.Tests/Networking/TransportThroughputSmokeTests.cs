using System.Diagnostics;
using Xunit.Abstractions;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// Many closed-loop callers over one loopback connection: checks that every answer is right under load and prints the
/// rate for information. It asserts nothing about speed (the machine is shared); bench/PingBench measures properly.
/// </summary>
public sealed class TransportThroughputSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task InvokeAsync_100ClosedLoopCallers_EveryAnswerIsRight()
    {
        const int callers = 100;
        const int callsPerCaller = 300;
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient();
        var target = silo.Silo;
        await client.CallAsync(target, "echo", "warm-up");

        var stopwatch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < callsPerCaller; i++)
            {
                var text = caller + "." + i;
                var response = await client.CallAsync(target, "echo", text, key: "g" + caller);
                if (response != "g" + caller + ":" + text)
                {
                    throw new InvalidOperationException($"Caller {caller} got '{response}' for '{text}'.");
                }
            }
        })).ToArray();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(3));
        stopwatch.Stop();

        Assert.Equal((callers * callsPerCaller) + 1, handler.Invocations);
        Assert.Equal(1, silo.Listener.AcceptedConnections);
        output.WriteLine($"{callers * callsPerCaller} calls in {stopwatch.Elapsed.TotalSeconds:F2} s = {callers * callsPerCaller / stopwatch.Elapsed.TotalSeconds:F0} calls/s (information only).");
    }
}
