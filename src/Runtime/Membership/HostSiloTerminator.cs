using Microsoft.Extensions.Hosting;

namespace Cluster.Runtime.Membership;

/// <summary>
/// Stops the host and makes the process exit with code 1, so an orchestrator sees a failure and starts a new silo. The
/// host still runs the stop path; the agent skips every table write from then on.
/// </summary>
internal sealed class HostSiloTerminator : ISiloTerminator
{
    private readonly IHostApplicationLifetime _lifetime;

    public HostSiloTerminator(IHostApplicationLifetime lifetime) => _lifetime = lifetime;

    public void Terminate(string reason)
    {
        Environment.ExitCode = 1;
        _lifetime.StopApplication();
    }
}
