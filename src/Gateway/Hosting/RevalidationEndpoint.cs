using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cluster.Gateway.Diagnostics;
using Cluster.Grains.Caching;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Hosting;

/// <summary>
/// <c>POST /_cluster/revalidate</c>: on-demand revalidation from outside the app (a CMS webhook, a deploy script), the
/// same as a handler's <c>RevalidatePathAsync</c>/<c>RevalidateTagAsync</c>. The caller proves <c>Cluster:AdminToken</c>
/// as a bearer token and sends <c>{"path":"/x"}</c> or <c>{"tag":"t"}</c>; the answer is 200 only once every owner
/// concerned confirmed it dropped its entries (and every gateway its copies).
/// </summary>
/// <remarks>
/// Answers, all JSON and <c>Cache-Control: no-store</c>: 403 while <c>Cluster:AdminToken</c> is not set (the endpoint is
/// off); 401 with <c>WWW-Authenticate: Bearer</c> for a missing or wrong token; 413 for a body over
/// <see cref="MaxBodyBytes"/>; 400 for a body that is not exactly one of the two shapes, or a path the gateway would
/// refuse; 503 when an owner did not confirm (the caller retries); 200
/// <c>{"revalidated":"path"|"tag","value":"...","routes":N,"dropped":M}</c> otherwise, where N counts the cached routes
/// whose owners confirmed (0 when the path or tag reaches none) and M the entries they dropped.
/// </remarks>
internal sealed partial class RevalidationEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = ClusterEndpoints.Prefix + "/revalidate";

    /// <summary>The largest body accepted: far above <c>{"path":...}</c> with the longest URL a gateway routes.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string JsonContentType = "application/json; charset=utf-8";
    private const string BearerScheme = "Bearer";
    private const string Shapes = """Send {"path":"/some/path"} or {"tag":"some-tag"}.""";

    private readonly IOptions<ClusterOptions> _options;
    private readonly ILogger _logger;

    public RevalidationEndpoint(IOptions<ClusterOptions> options, ILogger<RevalidationEndpoint> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>Maps the endpoint (POST only; other methods fall through to the cluster endpoints' 404).</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = ActivatorUtilities.CreateInstance<RevalidationEndpoint>(endpoints.ServiceProvider);
        return endpoints.MapPost(Path, endpoint.InvokeAsync);
    }

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Headers.CacheControl = "no-store";

        var token = _options.Value.AdminToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            Log.Disabled(_logger);
            await WriteErrorAsync(
                context,
                StatusCodes.Status403Forbidden,
                $"{Path} is disabled: set Cluster:AdminToken to a secret, then send it as 'Authorization: Bearer <token>'.")
                .ConfigureAwait(false);
            return;
        }

        if (!TryReadBearer(context.Request, out var presented))
        {
            Log.Unauthorized(_logger, context.Connection.RemoteIpAddress?.ToString(), "no bearer token");
            response.Headers.WWWAuthenticate = BearerScheme;
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Send Cluster:AdminToken as 'Authorization: Bearer <token>'.")
                .ConfigureAwait(false);
            return;
        }

        if (!TokensEqual(presented, token))
        {
            Log.Unauthorized(_logger, context.Connection.RemoteIpAddress?.ToString(), "a wrong bearer token");
            response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "The bearer token is not Cluster:AdminToken.").ConfigureAwait(false);
            return;
        }

        var (status, body) = await ReadBodyAsync(context).ConfigureAwait(false);
        if (status != StatusCodes.Status200OK)
        {
            if (status == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteErrorAsync(context, status, $"The body is larger than {MaxBodyBytes} bytes. {Shapes}").ConfigureAwait(false);
            }

            // Otherwise the client went away while sending it: there is no one to answer.
            return;
        }

        if (!TryParse(body, out var kind, out var value, out var error))
        {
            Log.BadRequest(_logger, error);
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var revalidator = context.RequestServices.GetService<ClusterRouteRevalidator>()
            ?? throw new InvalidOperationException(
                $"{Path} needs the cluster-wide revalidator: call services.AddRouteCacheRevalidation() (the route grain client does).");
        RevalidationOutcome outcome;
        try
        {
            outcome = kind == Kind.Path
                ? await revalidator.RevalidatePathAsync(value, context.RequestAborted).ConfigureAwait(false)
                : await revalidator.RevalidateTagAsync(value, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            // The revalidator's own message: what is wrong with the path, never a stack or an internal name.
            var message = exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
            Log.BadRequest(_logger, message);
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, message).ConfigureAwait(false);
            return;
        }
        catch (RevalidationFailedException exception)
        {
            // The revalidator logged the cause; the caller learns which routes to expect stale, and that a retry is safe.
            Log.NotConfirmed(_logger, KindName(kind), value, exception.Routes.Count);
            await WriteNotConfirmedAsync(context, exception.Routes).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(_logger, KindName(kind), value);
            return;
        }

        Log.Revalidated(_logger, KindName(kind), value, outcome.Routes, outcome.Dropped);
        await WriteJsonAsync(context, StatusCodes.Status200OK, static (writer, state) =>
        {
            writer.WriteString("revalidated"u8, KindName(state.kind));
            writer.WriteString("value"u8, state.value);
            writer.WriteNumber("routes"u8, state.outcome.Routes);
            writer.WriteNumber("dropped"u8, state.outcome.Dropped);
        }, (kind, value, outcome)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the token of an <c>Authorization: Bearer &lt;token&gt;</c> header (scheme case-insensitive, RFC 7235).
    /// False without exactly one such header, or with an empty token.
    /// </summary>
    internal static bool TryReadBearer(HttpRequest request, out string token)
    {
        token = string.Empty;
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header)
        {
            return false;
        }

        var span = header.AsSpan().Trim();
        if (span.Length <= BearerScheme.Length
            || !span.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
            || span[BearerScheme.Length] != ' ')
        {
            return false;
        }

        var presented = span[(BearerScheme.Length + 1)..].TrimStart(' ');
        if (presented.IsEmpty)
        {
            return false;
        }

        token = presented.ToString();
        return true;
    }

    /// <summary>
    /// Compares in constant time. Both tokens are hashed first so that the comparison also takes the same time whatever
    /// their lengths (<see cref="CryptographicOperations.FixedTimeEquals"/> returns at once on a length mismatch, which
    /// would tell an attacker the secret's length).
    /// </summary>
    internal static bool TokensEqual(string presented, string expected)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }

    /// <summary>
    /// Parses <c>{"path":"/x"}</c> or <c>{"tag":"t"}</c>: one JSON object with exactly one of the two properties (names
    /// case-sensitive), a non-empty string, nothing else. The error, when false, says what to send instead.
    /// </summary>
    internal static bool TryParse(ReadOnlySequence<byte> body, out Kind kind, out string value, out string error)
    {
        kind = default;
        value = string.Empty;
        string? path = null;
        string? tag = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 2 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"The body must be a JSON object. {Shapes}";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isPath = reader.ValueTextEquals("path"u8);
                if (!isPath && !reader.ValueTextEquals("tag"u8))
                {
                    error = $"The body has the unknown property '{reader.GetString()}'. {Shapes}";
                    return false;
                }

                var name = isPath ? "path" : "tag";
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    error = $"'{name}' must be a string. {Shapes}";
                    return false;
                }

                if ((isPath ? path : tag) is not null)
                {
                    error = $"The body gives '{name}' twice. {Shapes}";
                    return false;
                }

                var text = reader.GetString()!;
                if (isPath)
                {
                    path = text;
                }
                else
                {
                    tag = text;
                }
            }

            // The object is closed (an unclosed one threw); nothing but whitespace may follow it.
            if (reader.Read())
            {
                error = $"The body has more than one JSON value. {Shapes}";
                return false;
            }
        }
        catch (JsonException)
        {
            error = $"The body is not valid JSON. {Shapes}";
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8 or has an invalid escape.
            error = $"The body is not valid JSON. {Shapes}";
            return false;
        }

        if (path is not null && tag is not null)
        {
            error = $"The body gives both 'path' and 'tag'; revalidate one at a time. {Shapes}";
            return false;
        }

        if (path is null && tag is null)
        {
            error = $"The body gives neither 'path' nor 'tag'. {Shapes}";
            return false;
        }

        (kind, value) = path is not null ? (Kind.Path, path) : (Kind.Tag, tag!);
        if (value.Length == 0)
        {
            error = $"'{KindName(kind)}' is empty. {Shapes}";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Reads the whole body up to <see cref="MaxBodyBytes"/>: 200 and the body, 413 when it is larger (by its
    /// <c>Content-Length</c> or as it arrives), or 499 when the client went away.
    /// </summary>
    private static async Task<(int Status, ReadOnlySequence<byte> Body)> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (StatusCodes.Status413PayloadTooLarge, default);
        }

        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.Length > MaxBodyBytes)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    return (StatusCodes.Status413PayloadTooLarge, default);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    // Copied out, so the pipe's buffers go back before the (possibly long) revalidation.
                    var body = new ReadOnlySequence<byte>(buffer.ToArray());
                    reader.AdvanceTo(buffer.End);
                    return (StatusCodes.Status200OK, body);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The gateway's own body limit (Gateway:MaxRequestBodySize) is below this endpoint's.
            return (StatusCodes.Status413PayloadTooLarge, default);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return (StatusCodes.Status499ClientClosedRequest, default);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string error)
        => WriteJsonAsync(context, status, static (writer, error) => writer.WriteString("error"u8, error), error);

    private static Task WriteNotConfirmedAsync(HttpContext context, IReadOnlyList<string> routes)
        => WriteJsonAsync(context, StatusCodes.Status503ServiceUnavailable, static (writer, routes) =>
        {
            writer.WriteString(
                "error"u8,
                "Not every owner confirmed the revalidation: the cached responses of these routes may still be served. Revalidating again is safe.");
            writer.WriteStartArray("routes"u8);
            foreach (var route in routes)
            {
                writer.WriteStringValue(route);
            }

            writer.WriteEndArray();
        }, routes);

    private static async Task WriteJsonAsync<TState>(HttpContext context, int status, Action<Utf8JsonWriter, TState> writeProperties, TState state)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer, state);
            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.WrittenCount;
        try
        {
            await response.BodyWriter.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the revalidation itself is done.
        }
    }

    private static string KindName(Kind kind) => kind == Kind.Path ? "path" : "tag";

    /// <summary>What a request revalidates.</summary>
    internal enum Kind
    {
        Path,
        Tag,
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.Revalidated, LogLevel.Information, "POST /_cluster/revalidate revalidated {Kind} '{Value}': {Routes} route owner(s) confirmed, {Dropped} cached response(s) dropped.")]
        public static partial void Revalidated(ILogger logger, string kind, string value, int routes, int dropped);

        [LoggerMessage(GatewayEventIds.RevalidateUnauthorized, LogLevel.Warning, "POST /_cluster/revalidate refused a request from {RemoteAddress} with {Reason}; answered 401.")]
        public static partial void Unauthorized(ILogger logger, string? remoteAddress, string reason);

        [LoggerMessage(GatewayEventIds.RevalidateDisabled, LogLevel.Warning, "POST /_cluster/revalidate is called but Cluster:AdminToken is not set; answered 403. Set it to enable on-demand revalidation from outside the app.")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(GatewayEventIds.RevalidateNotConfirmed, LogLevel.Warning, "POST /_cluster/revalidate could not confirm {Kind} '{Value}': {Unconfirmed} route owner(s) did not confirm; answered 503.")]
        public static partial void NotConfirmed(ILogger logger, string kind, string value, int unconfirmed);

        [LoggerMessage(GatewayEventIds.RevalidateBadRequest, LogLevel.Debug, "POST /_cluster/revalidate answered 400: {Error}")]
        public static partial void BadRequest(ILogger logger, string error);

        [LoggerMessage(GatewayEventIds.RevalidateClientAborted, LogLevel.Debug, "The client of POST /_cluster/revalidate for {Kind} '{Value}' went away before the owners confirmed.")]
        public static partial void ClientAborted(ILogger logger, string kind, string value);
    }
}
