using OpenQA.Selenium;
using SeleniumLogLevel = OpenQA.Selenium.LogLevel;

namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// The browser tests' own instruments, checked on a page made for it: an assertion that the console has no errors, or
/// that nothing came from another origin, means something only if these reads see what a page does.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserFixtureTests(BrowserFixture browser)
{
    [Fact]
    public void ConsoleLog_PageLogsAnError_IsReadAsSevere()
    {
        var driver = browser.Driver;
        _ = driver.Manage().Logs.GetLog(LogType.Browser);

        driver.Navigate().GoToUrl("data:text/html,<script>console.error('probe-' + 'error')</script><p>probe</p>");
        var severe = driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(static e => e.Level == SeleniumLogLevel.Severe)
            .Select(static e => e.Message)
            .ToList();

        Assert.Contains(severe, static m => m.Contains("probe-error", StringComparison.Ordinal));
    }
}
