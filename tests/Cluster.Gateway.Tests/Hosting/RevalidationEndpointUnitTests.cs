using System.Buffers;
using System.Text;
using System.Text.Json;
using Cluster.Gateway.Hosting;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary>
/// <see cref="RevalidationEndpoint"/> without a server: body parsing, the bearer token and its comparison, and the
/// answers when owners do not confirm or the client goes away (which a real in-process silo cannot be made to do).
/// </summary>
public sealed class RevalidationEndpointUnitTests
{
    private const string Token = "s3cret-tøken";

    [Theory]
    [InlineData("""{"path":"/x"}""", false, "/x")]
    [InlineData("""{"tag":"t"}""", true, "t")]
    [InlineData(""" { "tag" : "t\u00e9" } """, true, "té")]
    [InlineData("""{"path":"/a\/b"}""", false, "/a/b")]
    [InlineData("""{"tag":" "}""", true, " ")]
    public void TryParse_OneOfTheShapes_ReturnsIt(string body, bool isTag, string value)
    {
        Assert.True(RevalidationEndpoint.TryParse(Bytes(body), out var parsedKind, out var parsedValue, out var error));

        var kind = isTag ? RevalidationEndpoint.Kind.Tag : RevalidationEndpoint.Kind.Path;
        Assert.Equal((kind, value, string.Empty), (parsedKind, parsedValue, error));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("{}", "neither")]
    [InlineData("""{"path":"/x","tag":"t"}""", "both")]
    [InlineData("""{"tag":"t","tag":"u"}""", "twice")]
    [InlineData("""{"tag":""}""", "empty")]
    [InlineData("""{"tag":1}""", "must be a string")]
    [InlineData("""{"Tag":"t"}""", "unknown property 'Tag'")]
    [InlineData("""{"tag":"t"} {}""", "not valid JSON")]
    [InlineData("""{"a":{"b":{"c":1}}}""", "unknown property")]
    [InlineData("""{"tag":{"b":{"c":1}}}""", "must be a string")]
    public void TryParse_BadBody_SaysWhatIsWrong(string body, string expected)
    {
        Assert.False(RevalidationEndpoint.TryParse(Bytes(body), out _, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("""{"path":"/some/path"}""", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BodyInSeveralSegments_ReadsIt()
    {
        var first = new Segment("{\"pa"u8.ToArray());
        var last = first.Append("""th":"/split"}"""u8.ToArray());

        Assert.True(RevalidationEndpoint.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out _, out var value, out _));
        Assert.Equal("/split", value);
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("BEARER  abc", "abc")]
    [InlineData("Bearer a b", "a b")]
    public void TryReadBearer_BearerHeader_ReturnsTheToken(string header, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;

        Assert.True(RevalidationEndpoint.TryReadBearer(context.Request, out var token));
        Assert.Equal(expected, token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearerabc")]
    [InlineData("Basic abc")]
    [InlineData("abc")]
    public void TryReadBearer_NoBearerToken_ReturnsFalse(string? header)
    {
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers.Authorization = header;
        }

        Assert.False(RevalidationEndpoint.TryReadBearer(context.Request, out _));
    }

    [Fact]
    public void TryReadBearer_TwoHeaders_ReturnsFalse()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = new(["Bearer a", "Bearer a"]);

        Assert.False(RevalidationEndpoint.TryReadBearer(context.Request, out _));
    }

    [Theory]
    [InlineData(Token, true)]
    [InlineData("s3cret-tøken ", false)]
    [InlineData("s3cret-token", false)]
    [InlineData("S3CRET-TØKEN", false)]
    [InlineData("s3cret-t", false)]
    [InlineData("", false)]
    public void TokensEqual_ComparesTheUtf8BytesExactly(string presented, bool expected)
    {
        Assert.Equal(expected, RevalidationEndpoint.TokensEqual(presented, Token));
    }

    [Fact]
    public async Task Invoke_OwnerDoesNotConfirm_Returns503NamingTheRoutesWithoutInternals()
    {
        var grains = new Grains { Answer = static _ => Task.FromException<RouteCacheInvalidationResult>(new InvalidOperationException("secret internal detail")) };
        var context = CreateContext("""{"tag":"shop"}""", grains);

        await CreateSut().InvokeAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        var body = ResponseText(context);
        Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["/products/[id]", "/shop"], json.RootElement.GetProperty("routes").EnumerateArray().Select(static r => r.GetString()).Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Invoke_Confirmed_Returns200WithWhatTheOwnersDropped()
    {
        var grains = new Grains { Answer = static pattern => Task.FromResult(new RouteCacheInvalidationResult { Dropped = pattern == "/shop" ? 1 : 4 }) };
        var context = CreateContext("""{"tag":"shop"}""", grains);

        await CreateSut().InvokeAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("""{"revalidated":"tag","value":"shop","routes":2,"dropped":5}""", ResponseText(context));
        Assert.Equal(context.Response.ContentLength, context.Response.Body.Length);
        Assert.Equal(["/products/[id]", "/shop"], grains.Patterns.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Invoke_ClientGoesAwayWhileOwnersWork_WritesNothing()
    {
        using var aborted = new CancellationTokenSource();
        var grains = new Grains
        {
            Answer = async _ =>
            {
                await aborted.CancelAsync();
                await Task.Delay(Timeout.Infinite, aborted.Token);
                return new RouteCacheInvalidationResult();
            },
        };
        var context = CreateContext("""{"path":"/shop"}""", grains);
        context.RequestAborted = aborted.Token;

        await CreateSut().InvokeAsync(context).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public async Task Invoke_TokenNotConfigured_Returns403BeforeReadingAnything()
    {
        var context = CreateContext("""{"tag":"shop"}""", new Grains());

        await new RevalidationEndpoint(Options.Create(new ClusterOptions { AdminToken = "  " }), NullLogger<RevalidationEndpoint>.Instance).InvokeAsync(context);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(0, context.Request.Body.Position);
    }

    [Fact]
    public async Task Invoke_WrongToken_Returns401BeforeReadingTheBody()
    {
        var context = CreateContext("""{"tag":"shop"}""", new Grains());
        context.Request.Headers.Authorization = "Bearer not-it";

        await CreateSut().InvokeAsync(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(0, context.Request.Body.Position);
    }

    private static RevalidationEndpoint CreateSut()
        => new(Options.Create(new ClusterOptions { AdminToken = Token }), NullLogger<RevalidationEndpoint>.Instance);

    private static DefaultHttpContext CreateContext(string body, Grains grains)
    {
        RouteDefinition[] routes =
        [
            Route("/shop", new RouteConfig { Dynamic = DynamicMode.ForceStatic, Tags = ["shop"] }),
            Route("/products/[id]", new RouteConfig { Revalidate = 60, Tags = ["shop"] }),
        ];
        var catalog = new RouteCatalog(new ClusterAppManifest { AppName = "TestApp", Routes = routes });
        var workers = new StatelessWorkerRoutes(catalog, new ClusterRoutesOptions());
        var revalidator = new ClusterRouteRevalidator(
            catalog, workers, new RouteTagIndex(catalog, workers), grains, TimeProvider.System, NullLogger<ClusterRouteRevalidator>.Instance);
        var services = new ServiceCollection().AddSingleton(revalidator).BuildServiceProvider();

        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/_cluster/revalidate";
        context.Request.Headers.Authorization = "Bearer " + Token;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static RouteDefinition Route(string pattern, RouteConfig config) => new()
    {
        Pattern = pattern,
        SourceFile = $"app{pattern}/route.cs",
        HandlerType = "TestApp.Route",
        Methods = RouteMethods.Get,
        Config = config,
        CreateHandler = static _ => throw new InvalidOperationException("Not run."),
    };

    /// <summary>Owners that answer with <see cref="Answer"/>, recording which patterns were called.</summary>
    private sealed class Grains : IGrainFactory, IGrainCallInvoker
    {
        private readonly List<string> _patterns = [];

        public Func<string, Task<RouteCacheInvalidationResult>> Answer { get; init; } =
            static _ => Task.FromResult(new RouteCacheInvalidationResult());

        public IReadOnlyList<string> Patterns
        {
            get
            {
                lock (_patterns)
                {
                    return [.. _patterns];
                }
            }
        }

        public GrainReference GetGrain(GrainType grainType, string key) => new(new GrainId(grainType, key), this);

        public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
        {
            lock (_patterns)
            {
                _patterns.Add(grainId.Key);
            }

            return new ValueTask<TResponse>((Task<TResponse>)(object)Answer(grainId.Key));
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
