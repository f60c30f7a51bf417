using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Checks the <c>Cluster</c> settings together, naming the setting to fix.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId) || options.ClusterId.Length > 100)
        {
            failures.Add("Cluster:ClusterId must be set to a name of at most 100 characters.");
        }

        if (options.Membership == MembershipKind.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("Cluster:ConnectionString is required with Cluster:Membership=Postgres (an Npgsql connection string).");
            }

            if (string.IsNullOrEmpty(options.Secret))
            {
                failures.Add("Cluster:Secret is required with Cluster:Membership=Postgres: peers prove it in the handshake, and a cluster without one would accept any connection.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
