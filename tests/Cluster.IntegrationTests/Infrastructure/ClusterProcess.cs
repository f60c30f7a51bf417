using System.Diagnostics;
using System.Reflection;
using System.Text;
using Cluster.TestSupport;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway or silo running as its own OS process from its build output (<c>dotnet Cluster.Silo.dll …</c>), the way
/// the README starts one: it can be stopped with SIGTERM (graceful) or SIGKILL (a crash), and its output is kept.
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ClusterProcess(string name, Process process, int httpPort, int siloPort)
    {
        Name = name;
        _process = process;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        SiloPort = siloPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri HttpAddress { get; }

    public int SiloPort { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>src/{project}/bin/{configuration}/net10.0/{assembly}.dll</c> with the given settings.</summary>
    public static ClusterProcess Start(string name, string project, string assembly, int httpPort, int siloPort, IEnumerable<string> settings)
    {
        var configuration = typeof(ClusterProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; the test project references src/{project}, so building the tests builds it.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        return new ClusterProcess(name, process, httpPort, siloPort);
    }

    /// <summary>Waits until <c>/_cluster/readyz</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(HttpAddress, "/_cluster/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM (what Kubernetes sends), then waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>
    /// SIGSTOP: the process freezes as a whole (a long GC pause, a stalled VM) until <see cref="ThawAsync"/>. The kernel
    /// still accepts its connections, but nothing answers, so peers see timeouts rather than refused connections.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: a frozen process runs on from where it stopped, its timers all late.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="timeout"/> (it is left running).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, without any shutdown protocol.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGKILL ends a stopped process too; nothing more is needed after a failed freeze test.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {_process.Id} ({Name}) exited with {kill.ExitCode}.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
