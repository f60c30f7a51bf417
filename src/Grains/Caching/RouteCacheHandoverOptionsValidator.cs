using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>Validates <see cref="RouteCacheHandoverOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class RouteCacheHandoverOptionsValidator : IValidateOptions<RouteCacheHandoverOptions>;
