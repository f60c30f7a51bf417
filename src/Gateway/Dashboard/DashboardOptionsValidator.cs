using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Dashboard;

/// <summary>Validates <see cref="DashboardOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class DashboardOptionsValidator : IValidateOptions<DashboardOptions>;
