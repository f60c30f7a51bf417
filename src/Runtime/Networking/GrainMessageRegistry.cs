using System.Buffers;
using System.Collections.Frozen;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The grain messages this process can send and receive, built from the descriptors <c>AddGrainMessage</c> registered:
/// found by wire name on receive (matching UTF-8 bytes, no string decoded) and by (request, response) type on send.
/// </summary>
internal sealed class GrainMessageRegistry
{
    private readonly GrainMessageDescriptor[] _descriptors;
    private readonly FrozenDictionary<(Type Request, Type Response), GrainMessageDescriptor> _byTypes;

    public GrainMessageRegistry(IEnumerable<GrainMessageDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        var byName = new Dictionary<string, GrainMessageDescriptor>(StringComparer.Ordinal);
        var byTypes = new Dictionary<(Type, Type), GrainMessageDescriptor>();
        foreach (var descriptor in descriptors)
        {
            if (!byName.TryAdd(descriptor.Name, descriptor))
            {
                throw new InvalidOperationException($"The grain message name '{descriptor.Name}' is registered twice.");
            }

            if (!byTypes.TryAdd((descriptor.RequestType, descriptor.ResponseType), descriptor))
            {
                throw new InvalidOperationException(
                    $"The grain messages '{byTypes[(descriptor.RequestType, descriptor.ResponseType)].Name}' and '{descriptor.Name}' " +
                    $"both map {descriptor.RequestType} to {descriptor.ResponseType}; a request/response pair has one name.");
            }
        }

        _descriptors = [.. byName.Values];
        _byTypes = byTypes.ToFrozenDictionary();
    }

    /// <summary>The descriptor of a request/response pair.</summary>
    /// <exception cref="InvalidOperationException">The pair was not registered.</exception>
    public GrainMessageDescriptor<TRequest, TResponse> Get<TRequest, TResponse>()
    {
        // One registry per process in practice: remember the last answer per type pair, so a send costs a static read.
        var cached = Cache<TRequest, TResponse>.Last;
        if (cached is not null && ReferenceEquals(cached.Registry, this))
        {
            return cached.Descriptor;
        }

        if (!_byTypes.TryGetValue((typeof(TRequest), typeof(TResponse)), out var found))
        {
            throw new InvalidOperationException(
                $"No grain message maps {typeof(TRequest)} to {typeof(TResponse)}: register it with services.AddGrainMessage<TRequest, TResponse>(name, codecs).");
        }

        var descriptor = (GrainMessageDescriptor<TRequest, TResponse>)found;
        Cache<TRequest, TResponse>.Last = new CacheEntry<TRequest, TResponse>(this, descriptor);
        return descriptor;
    }

    /// <summary>The descriptor whose UTF-8 name is <paramref name="utf8Name"/>, or null.</summary>
    public GrainMessageDescriptor? Find(ReadOnlySequence<byte> utf8Name)
    {
        if (!utf8Name.IsSingleSegment)
        {
            // A name split across buffer segments is rare (at most 256 bytes); copy it once.
            if (utf8Name.Length > WireProtocol.MaxMessageNameBytes)
            {
                return null;
            }

            Span<byte> copy = stackalloc byte[WireProtocol.MaxMessageNameBytes];
            var length = (int)utf8Name.Length;
            utf8Name.CopyTo(copy);
            return Find(copy[..length]);
        }

        return Find(utf8Name.FirstSpan);
    }

    private GrainMessageDescriptor? Find(ReadOnlySpan<byte> utf8Name)
    {
        // A process registers a handful of message types; comparing bytes beats decoding and hashing a string.
        foreach (var descriptor in _descriptors)
        {
            if (utf8Name.SequenceEqual(descriptor.NameUtf8))
            {
                return descriptor;
            }
        }

        return null;
    }

    private static class Cache<TRequest, TResponse>
    {
        public static volatile CacheEntry<TRequest, TResponse>? Last;
    }

    private sealed record CacheEntry<TRequest, TResponse>(GrainMessageRegistry Registry, GrainMessageDescriptor<TRequest, TResponse> Descriptor);
}
