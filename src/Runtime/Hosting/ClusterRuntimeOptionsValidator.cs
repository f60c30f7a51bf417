using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Validates <see cref="ClusterRuntimeOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ClusterRuntimeOptionsValidator : IValidateOptions<ClusterRuntimeOptions>;
