using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>Checks <c>Cluster:Cache</c> at start-up, naming the setting to fix.</summary>
internal sealed class RouteCacheOptionsValidator : IValidateOptions<RouteCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, RouteCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxBytes > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{RouteCacheOptions.SectionName}:{nameof(RouteCacheOptions.MaxBytes)} is {options.MaxBytes}; it must be above 0 " +
                $"(the default is {RouteCacheOptions.DefaultMaxBytes}, 256 MiB).");
    }
}
