using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Activation;

/// <summary>A network request as the activation that queues it sees it (see <see cref="ArrivingRequest"/>).</summary>
internal interface IArrivingRequest
{
    /// <summary>The grain the request is for (a nested call to another grain on the same stack is not it).</summary>
    GrainId GrainId { get; }

    /// <summary>The activation queued the request as <paramref name="item"/>.</summary>
    void OnQueued(ActivationWorkItem item);
}
