namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// Waits for a page to show something: the probe returns what is still wrong (or <c>null</c> once all is right), and
/// the test fails with the last such description when the deadline passes. Polls every quarter second: each probe is a
/// round trip through chromedriver, and the page itself changes about once a second.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    public static Task HoldsAsync(Func<string?> problem, TimeSpan timeout, string what)
        => HoldsAsync(() => Task.FromResult(problem()), timeout, what);

    public static async Task HoldsAsync(Func<Task<string?>> problem, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var last = await problem();
            if (last is null)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:F0} s: {what}. Last: {last}");
            }

            await Task.Delay(s_poll);
        }
    }
}
