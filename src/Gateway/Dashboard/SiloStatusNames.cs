using Cluster.Runtime.Hosting;

namespace Cluster.Gateway.Dashboard;

/// <summary>A silo status as the dashboard writes it: the <see cref="SiloStatus"/> name (<c>Active</c>, <c>Dead</c>), one string per status.</summary>
internal static class SiloStatusNames
{
    /// <summary>The status of a silo whose row left the membership table.</summary>
    public const string Removed = "Removed";

    /// <summary>The name of <paramref name="status"/> (<c>Active</c>, <c>ShuttingDown</c>, <c>Dead</c>, ...), without formatting an enum.</summary>
    public static string Of(SiloStatus status) => status switch
    {
        SiloStatus.None => "None",
        SiloStatus.Created => "Created",
        SiloStatus.Joining => "Joining",
        SiloStatus.Active => "Active",
        SiloStatus.ShuttingDown => "ShuttingDown",
        SiloStatus.Stopping => "Stopping",
        SiloStatus.Dead => "Dead",
        _ => "Unknown",
    };
}
