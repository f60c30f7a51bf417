using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Activation;

/// <summary>Activation lifetime: idle collection and the time limits of the activation hooks (orleans-runtime.md §3.1–§3.2).</summary>
public sealed class GrainCollectionOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Runtime:GrainCollection";

    /// <summary>How long an activation may stay idle before it is deactivated.</summary>
    /// <value>Default 15 minutes; 1 second to 30 days; must be at least <see cref="CollectionQuantum"/>.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; an idle activation goes after between the age and the age plus one quantum.</summary>
    /// <value>Default 1 minute; 10 milliseconds to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The time limit of <see cref="Grain.OnActivateAsync"/>; past it the callers get a <see cref="TimeoutException"/>.</summary>
    /// <value>Default 30 seconds; 10 milliseconds to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The time limit of <see cref="Grain.OnDeactivateAsync"/> (and, during shutdown, of waiting for running requests per activation).</summary>
    /// <value>Default 30 seconds; 10 milliseconds to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CollectionAge < CollectionQuantum)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(CollectionAge)} ({CollectionAge}) must be at least {SectionName}:{nameof(CollectionQuantum)} ({CollectionQuantum}).",
                [nameof(CollectionAge), nameof(CollectionQuantum)]);
        }
    }
}
