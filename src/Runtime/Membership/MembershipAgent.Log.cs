using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Membership;

internal sealed partial class MembershipAgent
{
    private static partial class Log
    {
        [LoggerMessage(4300, LogLevel.Information, "Silo {Silo} is joining the cluster.")]
        public static partial void Joining(ILogger logger, string silo);

        [LoggerMessage(4301, LogLevel.Information, "Silo {Silo} is Active in the cluster (membership version {Version}).")]
        public static partial void Active(ILogger logger, string silo, int version);

        [LoggerMessage(4302, LogLevel.Error, "Silo {Silo} is a stale process: {Newer} ({Status}) is a newer generation on the same endpoint. It will not join.")]
        public static partial void NewerGenerationExists(ILogger logger, string silo, string newer, SiloStatus status);

        [LoggerMessage(4303, LogLevel.Information, "Declared {Old} (named '{SiloName}') Dead: it is an older generation on the endpoint of {Silo}, which restarted.")]
        public static partial void OlderGenerationDeclaredDead(ILogger logger, string old, string siloName, string silo);

        [LoggerMessage(4304, LogLevel.Information, "Silo {Silo} reached every active silo ({Count}).")]
        public static partial void ConnectivityValidated(ILogger logger, string silo, int count);

        [LoggerMessage(4305, LogLevel.Warning, "Silo {Silo} cannot reach {Unreachable} (attempt {Attempt}); retrying until the join budget runs out.")]
        public static partial void ConnectivityFailed(ILogger logger, string silo, string unreachable, int attempt);

        [LoggerMessage(4306, LogLevel.Debug, "A join probe of {Target} threw; it counts as unreachable.")]
        public static partial void JoinProbeFailed(ILogger logger, string target, Exception exception);

        [LoggerMessage(4307, LogLevel.Information, "Silo {Silo} wrote itself {Status} (membership version {Version}).")]
        public static partial void OwnStatusWritten(ILogger logger, string silo, SiloStatus status, int version);

        [LoggerMessage(4308, LogLevel.Information, "Silo {Silo} is shutting down.")]
        public static partial void ShuttingDown(ILogger logger, string silo);

        [LoggerMessage(4309, LogLevel.Information, "Silo {Silo} left the cluster.")]
        public static partial void Left(ILogger logger, string silo);

        [LoggerMessage(4310, LogLevel.Warning, "Could not write {Silo} Dead after a failed join; others will vote it out once it is stale.")]
        public static partial void AbandonWriteFailed(ILogger logger, string silo, Exception exception);

        [LoggerMessage(4314, LogLevel.Warning, "Telling peers about membership version {Version} failed; they catch up on their next refresh.")]
        public static partial void NotifyFailed(ILogger logger, int version, Exception exception);

        // 4311–4313, 4315 and 4316 are MembershipRefresher's (store failures, dead peers' connections).

        [LoggerMessage(4317, LogLevel.Critical, "Silo {Silo} has been declared dead by the cluster and stops now: {Reason}")]
        public static partial void SelfTerminating(ILogger logger, string silo, string reason);

        [LoggerMessage(4318, LogLevel.Error, "Stopping the process after self-termination failed.")]
        public static partial void TerminatorFailed(ILogger logger, Exception exception);

        [LoggerMessage(4322, LogLevel.Error, "Silo {Silo} is dead but has no host to stop; it no longer probes or writes, but keeps its process.")]
        public static partial void NoTerminator(ILogger logger, string silo);

        [LoggerMessage(4319, LogLevel.Warning, "Declared silo {Target} Dead after {Failures} missed probes ({Votes} of {Required} votes; membership version {Version}).")]
        public static partial void DeclaredDead(ILogger logger, string target, int failures, int votes, int required, int version);

        [LoggerMessage(4320, LogLevel.Warning, "Voted silo {Target} dead after {Failures} missed probes ({Votes} of {Required} votes; membership version {Version}).")]
        public static partial void Voted(ILogger logger, string target, int failures, int votes, int required, int version);

        [LoggerMessage(4321, LogLevel.Debug, "A vote against {Target} lost the race for membership version {Version}; re-reading.")]
        public static partial void VoteConflict(ILogger logger, string target, int version);
    }
}
