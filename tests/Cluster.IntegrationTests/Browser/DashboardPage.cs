using System.Text.Json;
using Cluster.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// The gateway's dashboard (<c>/_cluster/dashboard</c>) open in a browser, read through the DOM contract the page keeps
/// (<c>table#silos tr[data-silo]</c>, <c>table#routes tr[data-route]</c>, <c>td[data-field]</c>, <c>body[data-sequence]</c>,
/// <c>#connection</c>). Each read is one script run in the page, so a table re-rendered between two WebDriver calls
/// never yields a stale element.
/// </summary>
internal sealed class DashboardPage(ChromeDriver driver, Uri gateway)
{
    public const string Path = "/_cluster/dashboard";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The gateway's origin (<c>http://127.0.0.1:port</c>), the only one the page may load anything from.</summary>
    public string Origin { get; } = gateway.GetLeftPart(UriPartial.Authority);

    /// <summary>Opens the page; the caller then sees either the login form or the dashboard.</summary>
    public void Open() => driver.Navigate().GoToUrl(new Uri(gateway, Path));

    /// <summary>Fills <c>form#login</c>'s <c>input[name=token]</c> with <paramref name="token"/> and submits it.</summary>
    public void LogIn(string token)
    {
        var form = driver.FindElement(By.CssSelector("form#login"));
        form.FindElement(By.CssSelector("input[name=token]")).SendKeys(token);
        form.FindElement(By.CssSelector("button[type=submit], input[type=submit], button:not([type])")).Click();
    }

    /// <summary>Whether the login form is on the page now.</summary>
    public bool ShowsLoginForm() => driver.FindElements(By.CssSelector("form#login input[name=token]")).Count > 0;

    /// <summary>The silo rows shown now.</summary>
    public IReadOnlyList<DashboardSiloRow> Silos() => Read<DashboardSiloRow>(
        """
        return JSON.stringify(Array.from(document.querySelectorAll('table#silos tr[data-silo]'), r => ({
            address: r.getAttribute('data-silo'),
            status: r.getAttribute('data-status') ?? '',
            activations: r.querySelector('td[data-field=activations]')?.textContent.trim() ?? '',
        })));
        """);

    /// <summary>The route rows shown now.</summary>
    public IReadOnlyList<DashboardRouteRow> Routes() => Read<DashboardRouteRow>(
        """
        return JSON.stringify(Array.from(document.querySelectorAll('table#routes tr[data-route]'), r => ({
            pattern: r.getAttribute('data-route'),
            owner: r.querySelector('td[data-field=owner]')?.textContent.trim() ?? '',
            requests: r.querySelector('td[data-field=requests]')?.textContent.trim() ?? '',
        })));
        """);

    /// <summary><c>body[data-sequence]</c>: the sequence of the last snapshot the page rendered (null before the first).</summary>
    public long? Sequence()
        => long.TryParse(Script("return document.body?.getAttribute('data-sequence') ?? '';"), out var sequence) ? sequence : null;

    /// <summary>The text of <c>#connection</c> (<c>live</c> while the event stream is open).</summary>
    public string Connection() => Script("return document.getElementById('connection')?.textContent.trim() ?? '';");

    /// <summary>Every URL the page loaded (its own document and each resource), from the Resource Timing API.</summary>
    public IReadOnlyList<string> LoadedUrls() => Read<string>(
        """
        return JSON.stringify([location.href, ...performance.getEntriesByType('resource').map(e => e.name)]);
        """);

    /// <summary>The loaded URLs whose origin is not the gateway's.</summary>
    public IReadOnlyList<string> ForeignUrls()
        => [.. LoadedUrls().Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || !string.Equals(uri.GetLeftPart(UriPartial.Authority), Origin, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Saves a PNG of the page to <c>artifacts/test-results/</c> at the repository root and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        var folder = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(folder);
        var file = System.IO.Path.Combine(folder, name + ".png");
        driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    /// <summary>A short description of what the page shows, for failure messages.</summary>
    public string Describe()
    {
        try
        {
            return $"url {driver.Url}, sequence {Sequence()?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, connection '{Connection()}'\n" +
                $"silos: {string.Join("; ", Silos())}\nroutes: {string.Join("; ", Routes())}";
        }
        catch (WebDriverException ex)
        {
            return "the page could not be read: " + ex.Message;
        }
    }

    private string Script(string script) => driver.ExecuteScript(script) as string ?? string.Empty;

    private List<T> Read<T>(string script) => JsonSerializer.Deserialize<List<T>>(Script(script), s_json) ?? [];
}
