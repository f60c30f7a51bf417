using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Membership;

/// <summary>Validates <see cref="ClusterMembershipOptions"/> (generated from its data annotations and <c>Validate</c>).</summary>
[OptionsValidator]
internal sealed partial class ClusterMembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>;
