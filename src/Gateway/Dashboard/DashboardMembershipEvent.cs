namespace Cluster.Gateway.Dashboard;

/// <summary>A silo's status change in this gateway's membership view (<see cref="MembershipEventLog"/>).</summary>
/// <param name="At">When the gateway saw it (UTC).</param>
/// <param name="Silo">The silo's address.</param>
/// <param name="Status">Its new status (see <see cref="DashboardSilo.Status"/>); <c>Removed</c> when its row left the table.</param>
/// <param name="PreviousStatus">Its status in the previous view; null when the silo is new to the view.</param>
internal sealed record DashboardMembershipEvent(DateTimeOffset At, string Silo, string Status, string? PreviousStatus);
