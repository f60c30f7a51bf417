using System.Reflection;

namespace Cluster.Runtime.Activation;

/// <summary>
/// The interleaving kind of a request type, read from its attributes once per closed generic type, so the call path
/// reads a static field instead of reflecting. The request's declared type counts, not its runtime type.
/// </summary>
/// <typeparam name="TRequest">The request type.</typeparam>
internal static class RequestTraits<TRequest>
{
    public static readonly RequestKind Kind = GetKind(typeof(TRequest));

    private static RequestKind GetKind(Type type)
    {
        if (type.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: false))
        {
            return RequestKind.Interleaved;
        }

        return type.IsDefined(typeof(ReadOnlyAttribute), inherit: false) ? RequestKind.ReadOnly : RequestKind.Blocking;
    }
}
