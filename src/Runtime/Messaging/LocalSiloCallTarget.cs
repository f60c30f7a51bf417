using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// The silo in this process, if there is one: calls the placement assigns to it run through <see cref="Invoker"/>
/// without touching the network.
/// </summary>
/// <param name="SiloAddress">The local silo's address.</param>
/// <param name="Invoker">Runs calls in the local activation catalog.</param>
internal sealed record LocalSiloCallTarget(SiloAddress SiloAddress, IGrainCallInvoker Invoker);
