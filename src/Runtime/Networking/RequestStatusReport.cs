using System.Globalization;

namespace Cluster.Runtime.Networking;

/// <summary>The latest status report a caller received for one of its pending calls.</summary>
/// <param name="Progress">Executing or waiting.</param>
/// <param name="ElapsedMilliseconds">How long it had been doing so when the silo reported.</param>
/// <param name="Silo">The silo that reported.</param>
/// <param name="ReceivedAt">The caller's timestamp of the report.</param>
internal sealed record RequestStatusReport(RequestProgress Progress, uint ElapsedMilliseconds, string Silo, long ReceivedAt)
{
    /// <summary>For a timeout message, e.g. "still executing on silo 127.0.0.1:11111@1 for 25 s".</summary>
    public string Describe()
    {
        var seconds = (ElapsedMilliseconds / 1000.0).ToString("0.#", CultureInfo.InvariantCulture);
        return Progress == RequestProgress.Waiting
            ? $"still waiting in the grain's queue on silo {Silo} for {seconds} s"
            : $"still executing on silo {Silo} for {seconds} s";
    }
}
