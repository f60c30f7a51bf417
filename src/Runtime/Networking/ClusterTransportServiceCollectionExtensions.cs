using Cluster.Runtime.Hosting;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Networking;

/// <summary>Registers the cluster transport and the grain messages it carries.</summary>
public static class ClusterTransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds the cluster transport (<see cref="IClusterTransport"/>) and its <see cref="ClusterListener"/>, with
    /// <see cref="MessagingOptions"/> bound from <c>Cluster:Messaging</c> and <see cref="ClusterOptions"/> from
    /// <c>Cluster</c>, both validated on start. An <see cref="IInboundCallHandler"/> is optional (a process without one
    /// refuses inbound requests), as is a <see cref="ClusterTransportIdentity"/> (default: a client named
    /// <c>process/&lt;guid&gt;</c>). Broadcasts from silos this process connects to go to every registered
    /// <see cref="IBroadcastReceiver"/> of their topic, and every registered <see cref="IConnectionLossObserver"/> hears
    /// of each lost connection; both are optional and resolved when the first connection opens. Every default is
    /// registered with <c>TryAdd*</c>.
    /// </summary>
    public static IServiceCollection AddClusterTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();

        // The transport's messaging instruments come from the host's meter factory (MessagingMetrics).
        services.AddMetrics();
        services.AddOptions<MessagingOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(MessagingOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.AddOptions<ClusterOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(ClusterOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static _ => ClusterTransportIdentity.ForClient("process"));
        services.TryAddSingleton(static sp => new GrainMessageRegistry(sp.GetServices<GrainMessageDescriptor>()));
        services.TryAddSingleton<BroadcastReceivers>();
        services.TryAddSingleton(static sp => new ClusterTransport(
            sp.GetRequiredService<ClusterTransportIdentity>(),
            sp.GetRequiredService<IOptions<MessagingOptions>>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<GrainMessageRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp));
        services.TryAddSingleton<IClusterTransport>(static sp => sp.GetRequiredService<ClusterTransport>());
        services.TryAddSingleton(static sp => new ClusterListener(
            sp.GetRequiredService<ClusterTransport>(), sp, sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Registers a grain message: the request and response types a grain call carries over the network, under a wire name
    /// that must never change once deployed (e.g. <c>route.v1</c>; a new shape gets a new name). The receiving side reads
    /// the request with <paramref name="requestCodec"/> and writes the response with <paramref name="responseCodec"/>.
    /// Registering the same name for the same types again is a no-op.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name or the type pair is already registered differently.</exception>
    public static IServiceCollection AddGrainMessage<TRequest, TResponse>(
        this IServiceCollection services, string name, IWireCodec<TRequest> requestCodec, IWireCodec<TResponse> responseCodec)
    {
        ArgumentNullException.ThrowIfNull(services);
        var descriptor = new GrainMessageDescriptor<TRequest, TResponse>(name, requestCodec, responseCodec);
        foreach (var registered in services)
        {
            if (registered.ServiceType != typeof(GrainMessageDescriptor) || registered.ImplementationInstance is not GrainMessageDescriptor existing)
            {
                continue;
            }

            var sameName = string.Equals(existing.Name, name, StringComparison.Ordinal);
            var sameTypes = existing.RequestType == typeof(TRequest) && existing.ResponseType == typeof(TResponse);
            if (sameName && sameTypes)
            {
                return services;
            }

            if (sameName || sameTypes)
            {
                throw new InvalidOperationException(
                    $"Grain message '{name}' ({typeof(TRequest)} → {typeof(TResponse)}) conflicts with '{existing.Name}' " +
                    $"({existing.RequestType} → {existing.ResponseType}): a name has one type pair and a type pair one name.");
            }
        }

        services.AddSingleton<GrainMessageDescriptor>(descriptor);
        return services;
    }
}
