using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Activation;

/// <summary>Validates <see cref="GrainCollectionOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class GrainCollectionOptionsValidator : IValidateOptions<GrainCollectionOptions>;
