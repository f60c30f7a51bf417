using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Grains.Matching;
using Cluster.Grains.Routing;
using Cluster.Grains.Wire;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Caching;

/// <summary>
/// On-demand revalidation across the cluster (<c>RouteContext.RevalidatePathAsync</c>/<c>RevalidateTagAsync</c> and
/// <c>POST /_cluster/revalidate</c>): finds the cached routes a path or tag reaches, asks each route's one owner to drop
/// its entries (<see cref="RouteCacheInvalidation"/>; the owner also has every gateway drop its copies before it
/// answers) and completes only when every owner confirmed. A route that is not cached has nothing to drop and is not
/// called. Thread-safe; one instance per process.
/// </summary>
/// <remarks>
/// <para>A path is resolved the way the gateway routes a request: the query (and a fragment) is cut off, the path is
/// checked with <see cref="RequestPathNormalizer"/> (a path the gateway would redirect is taken in its redirected form,
/// e.g. without its trailing slash; one it would refuse is an <see cref="ArgumentException"/>) and matched with the
/// app's <see cref="RouteTable"/>. A path that is itself a route pattern (<c>/blog/[slug]</c>) reaches every entry of
/// that route, like Next.js's <c>revalidatePath</c> with a dynamic segment; so does any path of a static route, which
/// has one page whatever spelling a client used.</para>
/// <para>Owners key entries by the path as clients send it, so a path of a dynamic route is sent in that form:
/// characters a browser percent-encodes in a path (non-ASCII, space, <c>"</c>, <c>&lt;</c>, <c>&gt;</c>, <c>`</c>,
/// <c>{</c>, <c>}</c>) are encoded as UTF-8 with upper-case hex, and escapes already there get upper-case hex
/// (RFC 3986 §6.2.2.1). <c>/items/café</c> and <c>/items/caf%c3%a9</c> both drop the entry of <c>/items/caf%C3%A9</c>.</para>
/// </remarks>
internal sealed partial class ClusterRouteRevalidator : IRouteRevalidator
{
    // Longer paths are refused before any work: no owner can hold one (the call could not carry it either).
    private const int MaxPathChars = RouteCacheInvalidationCodec.MaxPathBytes;

    // How much of a refused path an error message quotes.
    private const int QuotedPathChars = 200;

    private readonly IRouteCatalog _catalog;
    private readonly StatelessWorkerRoutes _workers;
    private readonly RouteTagIndex _tags;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<RouteTable> _routes;

    /// <param name="catalog">The app's routes.</param>
    /// <param name="workers">The stateless-worker routes (never cached, never called).</param>
    /// <param name="tags">The tag index of the cached routes.</param>
    /// <param name="grains">Reaches the routes' owners.</param>
    /// <param name="time">Measures how long a revalidation took, for its log line.</param>
    /// <param name="logger">The revalidation log.</param>
    /// <param name="routes">
    /// The app's route table when this process has one already (a gateway does); otherwise it is built from
    /// <paramref name="catalog"/> on the first path revalidation, so a silo that never revalidates a path never builds it.
    /// </param>
    public ClusterRouteRevalidator(
        IRouteCatalog catalog,
        StatelessWorkerRoutes workers,
        RouteTagIndex tags,
        IGrainFactory grains,
        TimeProvider time,
        ILogger<ClusterRouteRevalidator> logger,
        RouteTable? routes = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _catalog = catalog;
        _workers = workers;
        _tags = tags;
        _grains = grains;
        _time = time;
        _logger = logger;
        _routes = routes is not null ? new Lazy<RouteTable>(routes) : new Lazy<RouteTable>(() => RouteTable.Build(catalog.Routes));
    }

    /// <summary>
    /// Drops the cached response of <paramref name="path"/> (or, for a route pattern, every cached response of that
    /// route) on its owner, which also drops every gateway's copy; completes when the owner confirmed.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, too long, or one the gateway would refuse (no leading
    /// <c>/</c>, a dot segment, a control character, malformed percent-encoding).</exception>
    /// <exception cref="RevalidationFailedException">The owner did not confirm.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first; the owner may or may not have dropped the entry.</exception>
    public Task<RevalidationOutcome> RevalidatePathAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!TryResolvePath(path, out var pattern, out var cachedPath))
        {
            Log.NothingToRevalidate(_logger, "path", path);
            return Task.FromResult(RevalidationOutcome.None);
        }

        return InvalidateAsync("path", path, [pattern], cachedPath, cancellationToken);
    }

    /// <summary>
    /// Drops every cached response of the routes tagged <paramref name="tag"/> on their owners, in parallel, each of
    /// which also drops every gateway's copies; completes when all of them confirmed.
    /// </summary>
    /// <exception cref="ArgumentException">The tag is empty.</exception>
    /// <exception cref="RevalidationFailedException">One or more owners did not confirm; it names their routes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task<RevalidationOutcome> RevalidateTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var patterns = _tags.PatternsOf(tag);
        if (patterns.Count == 0)
        {
            Log.NothingToRevalidate(_logger, "tag", tag);
            return Task.FromResult(RevalidationOutcome.None);
        }

        return InvalidateAsync("tag", tag, patterns, path: null, cancellationToken);
    }

    Task IRouteRevalidator.RevalidatePathAsync(string path, CancellationToken cancellationToken)
        => RevalidatePathAsync(path, cancellationToken);

    Task IRouteRevalidator.RevalidateTagAsync(string tag, CancellationToken cancellationToken)
        => RevalidateTagAsync(tag, cancellationToken);

    /// <summary>
    /// Finds the cached route that serves <paramref name="path"/> and the key its owner drops: the path in the form
    /// clients send it, or <c>null</c> for every entry of the route (the path is the route's pattern, or the route is
    /// static). False when no route serves the path, or the route is not cached.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, too long, or not one the gateway would route.</exception>
    internal bool TryResolvePath(string path, [NotNullWhen(true)] out string? pattern, out string? cachedPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        pattern = null;
        cachedPath = null;

        var end = path.AsSpan().IndexOfAny('?', '#');
        var raw = end < 0 ? path : path[..end];
        if (raw.Length > MaxPathChars)
        {
            throw new ArgumentException(
                $"The path to revalidate is {raw.Length} characters long; no cached path is longer than {MaxPathChars}.", nameof(path));
        }

        if (RequestPathNormalizer.Normalize(raw, out var normal) == PathNormalizationResult.BadRequest)
        {
            throw new ArgumentException(
                $"'{Quote(path)}' is not a path that can be revalidated: it must start with '/' and have no '.' or '..' segment, " +
                "no control character and only well-formed percent-encoding (a path the gateway would answer 400).",
                nameof(path));
        }

        RouteDefinition route;
        if (_catalog.TryGetRoute(normal, out var byPattern))
        {
            route = byPattern;
        }
        else
        {
            var encoded = EncodeAsSent(normal);
            if (encoded.Length > MaxPathChars)
            {
                // Escapes triple a character's length (nine times for most non-ASCII ones); the result is ASCII.
                throw new ArgumentException(
                    $"The path to revalidate is {encoded.Length} characters long once percent-encoded; no cached path is longer than {MaxPathChars}.",
                    nameof(path));
            }

            if (!_routes.Value.TryMatch(encoded, out var match))
            {
                return false;
            }

            route = match.Entry.Definition;
            cachedPath = match.Entry.Pattern.IsStatic ? null : encoded;
        }

        if (!RouteCacheability.IsCacheable(route) || _workers.Contains(route.Pattern))
        {
            cachedPath = null;
            return false;
        }

        pattern = route.Pattern;
        return true;
    }

    /// <summary>
    /// A normalised path as a browser sends it: what the WHATWG URL standard's path percent-encode set encodes (space,
    /// <c>"</c>, <c>&lt;</c>, <c>&gt;</c>, <c>`</c>, <c>{</c>, <c>}</c>, non-ASCII) as UTF-8 escapes, every escape in
    /// upper-case hex. The same string when there is nothing to change.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not well-formed UTF-16 (a lone surrogate).</exception>
    internal static string EncodeAsSent(string path)
    {
        var index = 0;
        while (index < path.Length && !NeedsChange(path, index))
        {
            index++;
        }

        if (index == path.Length)
        {
            return path;
        }

        var builder = new StringBuilder(path.Length + 16);
        builder.Append(path, 0, index);
        Span<byte> utf8 = stackalloc byte[4];
        while (index < path.Length)
        {
            var c = path[index];
            if (IsEscape(path, index))
            {
                builder.Append('%').Append(char.ToUpperInvariant(path[index + 1])).Append(char.ToUpperInvariant(path[index + 2]));
                index += 3;
            }
            else if (c > ' ' && c < 0x7F && c != '%' && !IsEncodedInPath(c))
            {
                builder.Append(c);
                index++;
            }
            else
            {
                if (Rune.DecodeFromUtf16(path.AsSpan(index), out var rune, out var consumed) != OperationStatus.Done)
                {
                    throw new ArgumentException($"'{Quote(path)}' is not well-formed text (it has a lone surrogate).", nameof(path));
                }

                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    builder.Append('%').Append(HexUpper(b >> 4)).Append(HexUpper(b & 0xF));
                }

                index += consumed;
            }
        }

        return builder.ToString();
    }

    private static bool NeedsChange(string path, int index)
    {
        var c = path[index];
        if (c == '%')
        {
            // A stray '%' (the normaliser lets none through) would be encoded as %25.
            return !IsEscape(path, index) || char.IsAsciiHexDigitLower(path[index + 1]) || char.IsAsciiHexDigitLower(path[index + 2]);
        }

        return c <= ' ' || c >= 0x7F || IsEncodedInPath(c);
    }

    private static bool IsEscape(string path, int index)
        => path[index] == '%' && index + 2 < path.Length && char.IsAsciiHexDigit(path[index + 1]) && char.IsAsciiHexDigit(path[index + 2]);

    private static bool IsEncodedInPath(char c) => c is '"' or '<' or '>' or '`' or '{' or '}' or '#' or '?';

    private static char HexUpper(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static string Quote(string path) => path.Length <= QuotedPathChars ? path : string.Concat(path.AsSpan(0, QuotedPathChars), "...");

    private async Task<RevalidationOutcome> InvalidateAsync(
        string kind, string value, IReadOnlyList<string> patterns, string? path, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var invalidation = new RouteCacheInvalidation { Path = path };
        var calls = new Task<RouteCacheInvalidationResult>[patterns.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = Invoke(patterns[i], invalidation, cancellationToken);
        }

        // Every owner is waited for, also after one failed: the answer must name each route that did not confirm.
        Task all = Task.WhenAll(calls);
        await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        var dropped = 0;
        List<string>? unconfirmed = null;
        List<Exception>? failures = null;
        for (var i = 0; i < calls.Length; i++)
        {
            var call = calls[i];
            if (call.IsCompletedSuccessfully)
            {
                dropped += call.Result.Dropped;
                continue;
            }

            (unconfirmed ??= []).Add(patterns[i]);
            (failures ??= []).Add(call.Exception?.InnerException ?? new OperationCanceledException("The owner's answer was cancelled."));
        }

        var elapsed = _time.GetElapsedTime(started);
        if (unconfirmed is null)
        {
            Log.Revalidated(_logger, kind, value, calls.Length, dropped, elapsed.TotalMilliseconds);
            return new RevalidationOutcome(calls.Length, dropped);
        }

        // The caller gave up: the same exception it would get from any cancelled call, not a failure of the owners.
        cancellationToken.ThrowIfCancellationRequested();

        var cause = failures!.Count == 1 ? failures[0] : new AggregateException(failures);
        var failed = new RevalidationFailedException($"{kind} '{value}'", unconfirmed, calls.Length, cause);
        Log.NotConfirmed(_logger, kind, value, unconfirmed.Count, calls.Length, elapsed.TotalMilliseconds, failed);
        throw failed;
    }

    private Task<RouteCacheInvalidationResult> Invoke(string pattern, RouteCacheInvalidation invalidation, CancellationToken cancellationToken)
    {
        try
        {
            return _grains.GetRouteGrain(pattern).Grain
                .InvokeAsync<RouteCacheInvalidation, RouteCacheInvalidationResult>(invalidation, cancellationToken)
                .AsTask();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A call that fails before it is sent (e.g. the silo is shutting down) counts as one owner not confirming,
            // like a call that fails later; it must not hide the answers of the others.
            return Task.FromException<RouteCacheInvalidationResult>(exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4550, LogLevel.Debug, "Revalidated {Kind} '{Value}': {Routes} route owner(s) confirmed, {Dropped} cached response(s) dropped, in {ElapsedMilliseconds} ms.")]
        public static partial void Revalidated(ILogger logger, string kind, string value, int routes, int dropped, double elapsedMilliseconds);

        [LoggerMessage(4551, LogLevel.Debug, "Revalidated {Kind} '{Value}': no cached route serves it, so there is nothing to drop.")]
        public static partial void NothingToRevalidate(ILogger logger, string kind, string value);

        [LoggerMessage(4552, LogLevel.Warning, "The revalidation of {Kind} '{Value}' was not confirmed by the owners of {Unconfirmed} of its {Routes} route(s) after {ElapsedMilliseconds} ms; their cached responses may still be served until it is retried.")]
        public static partial void NotConfirmed(ILogger logger, string kind, string value, int unconfirmed, int routes, double elapsedMilliseconds, Exception exception);
    }
}
