using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Networking;

/// <summary>Validates <see cref="MessagingOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>;
