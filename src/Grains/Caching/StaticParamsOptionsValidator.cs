using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>Validates <see cref="StaticParamsOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class StaticParamsOptionsValidator : IValidateOptions<StaticParamsOptions>;
