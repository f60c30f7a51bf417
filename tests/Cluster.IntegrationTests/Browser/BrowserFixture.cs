using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using SeleniumLogLevel = OpenQA.Selenium.LogLevel;

namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// One headless Chromium for the browser tests, started once and quit at the end: Debian's <c>/usr/bin/chromium</c>
/// driven through its <c>/usr/bin/chromedriver</c>, both named explicitly so Selenium Manager never runs (it would try
/// to download a browser and a driver, and the machine has no network). Without them every test fails, naming the
/// apt-get command: CI installs them (<c>.ci/run</c>), and a skipped test would hide a broken dashboard.
/// </summary>
/// <remarks>
/// CI runs as root, so Chromium needs <c>--no-sandbox</c>; <c>--disable-dev-shm-usage</c> keeps it off a small
/// <c>/dev/shm</c> in containers; the profile is a fresh temporary folder, deleted at the end. On dispose, any process
/// still running below chromedriver after the browser quit and the driver stopped is killed, by pid.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";
    public const string InstallCommand = "apt-get install -y chromium chromium-driver";

    private ChromeDriverService? _service;
    private ChromeDriver? _driver;
    private string? _profile;
    private Exception? _startFailure;

    /// <summary>The browser; throws, saying how to install it, when Chromium or chromedriver could not be started.</summary>
    public ChromeDriver Driver => _driver ?? throw new InvalidOperationException(
        $"No browser for the dashboard's browser tests: {_startFailure?.Message} Install Debian's Chromium and its driver " +
        $"with '{InstallCommand}' (.ci/run does it when they are missing).",
        _startFailure);

    /// <summary>chromedriver's process id, or <c>null</c> when it did not start.</summary>
    public int? DriverProcessId => _service?.ProcessId is > 0 and var pid ? pid : null;

    public Task InitializeAsync()
    {
        var missing = new[] { ChromiumPath, ChromeDriverPath }.Where(static p => !File.Exists(p)).ToArray();
        if (missing.Length > 0)
        {
            _startFailure = new FileNotFoundException($"{string.Join(" and ", missing)} not found.");
            return Task.CompletedTask;
        }

        _profile = Directory.CreateTempSubdirectory("cluster-chromium-").FullName;
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        _service.SuppressInitialDiagnosticInformation = true;
        _service.HideCommandPromptWindow = true;

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + _profile,
            "--window-size=1600,1200",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions");
        // The console: the tests read it through the logs API to find the page's errors.
        options.SetLoggingPreference(LogType.Browser, SeleniumLogLevel.All);
        try
        {
            _driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        }
        catch (WebDriverException ex)
        {
            _startFailure = new InvalidOperationException($"Chromium did not start: {ex.Message}", ex);
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        // Chromium runs below chromedriver (renderers below its zygote): note them all before they are asked to go.
        var leftovers = new List<ProcessIdentity>();
        if (DriverProcessId is { } driverPid && ProcessTree.Of(driverPid) is { } driver)
        {
            leftovers.Add(driver);
            leftovers.AddRange(ProcessTree.DescendantsOf(driverPid));
        }

        try
        {
            _driver?.Quit();
        }
        catch (WebDriverException)
        {
            // A browser that already died cannot be quit; the process sweep below still runs.
        }

        _driver?.Dispose();
        _service?.Dispose();
        foreach (var process in leftovers)
        {
            ProcessTree.KillIfAlive(process);
        }

        if (_profile is not null)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // A crash dump still being written: the temporary folder is the system's to clean.
            }
        }

        return Task.CompletedTask;
    }
}
