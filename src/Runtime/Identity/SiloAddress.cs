using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cluster.Runtime.Identity;

/// <summary>
/// A silo's identity: <c>host:port@generation</c>. The generation is the number of whole seconds since
/// 2022-01-01 UTC when the silo started, so a restarted process on the same endpoint is a different, greater member;
/// a dead member never comes back.
/// </summary>
public sealed class SiloAddress : IEquatable<SiloAddress>
{
    private static readonly DateTimeOffset s_generationEpoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The last generation handed out in this process. Two silos started in the same second (tests, or an in-process
    // cluster) must still get distinct, increasing generations.
    private static int s_lastGeneration;

    /// <summary>Creates an address from known parts (e.g. read from a membership table).</summary>
    /// <exception cref="ArgumentException">The host is empty or holds <c>@</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 0–65535 or the generation is negative.</exception>
    public SiloAddress(string host, int port, int generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (host.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("A silo host cannot contain '@'.", nameof(host));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        Host = host;
        Port = port;
        Generation = generation;
    }

    /// <summary>The host name or IP address other silos and gateways reach this silo on.</summary>
    public string Host { get; }

    /// <summary>The silo-to-silo port (0 for a silo without a listener).</summary>
    public int Port { get; }

    /// <summary>Whole seconds since 2022-01-01 UTC at start; strictly increasing within a process.</summary>
    public int Generation { get; }

    /// <summary>Creates the address of a silo starting now, with a fresh generation.</summary>
    public static SiloAddress CreateLocal(string host, int port, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new SiloAddress(host, port, NextGeneration(timeProvider));
    }

    /// <summary>
    /// A generation for a silo starting now: whole seconds since 2022-01-01 UTC, but always greater than any generation
    /// this process handed out before.
    /// </summary>
    public static int NextGeneration(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var seconds = (long)(timeProvider.GetUtcNow() - s_generationEpoch).TotalSeconds;
        var now = (int)Math.Clamp(seconds, 1, int.MaxValue);
        while (true)
        {
            var last = Volatile.Read(ref s_lastGeneration);
            var next = now > last ? now : last + 1;
            if (Interlocked.CompareExchange(ref s_lastGeneration, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Parses <c>host:port@generation</c> (an IPv6 host keeps its colons; the last one before <c>@</c> ends it).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SiloAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var colon = text.LastIndexOf(':', at);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535
            || !int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        var host = text[..colon];
        if (host.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        address = new SiloAddress(host, port, generation);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(SiloAddress? other)
        => other is not null
        && Port == other.Port
        && Generation == other.Generation
        && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SiloAddress);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Host), Port, Generation);

    /// <summary><c>host:port@generation</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");
}
