using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Validates <see cref="SiloOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>;
