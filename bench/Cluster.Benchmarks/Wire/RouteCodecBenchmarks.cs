using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.Routing.Wire;

namespace Cluster.Benchmarks.Wire;

/// <summary>
/// The route call's wire codecs on a typical request: <c>GET /api/products/42</c> with 8 browser-like headers and one
/// param, answered by a 64-byte JSON body. The baseline is the naive choice, System.Text.Json over a plain DTO of the
/// same fields (base64 body). Write goes into a reused buffer writer, as the transport's pooled pipe would provide;
/// read parses an encoded body held in memory.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RouteCodecBenchmarks
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly Utf8JsonWriter _jsonWriter = new(Stream.Null);
    private RouteInvocation _invocation = null!;
    private RouteResponse _response = null!;
    private ReadOnlySequence<byte> _invocationBytes;
    private ReadOnlySequence<byte> _responseBytes;
    private byte[] _invocationJson = null!;
    private byte[] _responseJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        _invocation = new RouteInvocation
        {
            Pattern = "/api/products/[id]",
            Handler = RouteMethod.Get,
            Method = "GET",
            Scheme = "https",
            Host = "shop.example",
            Path = "/api/products/42",
            QueryString = "?ref=home",
            Headers = new RouteHeaders(
            [
                new("host", "shop.example"),
                new("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
                new("accept", "application/json"),
                new("accept-encoding", "gzip, deflate, br"),
                new("accept-language", "en-GB,en;q=0.9"),
                new("cookie", "session=3f2a9c; theme=dark"),
                new("x-forwarded-for", "203.0.113.7"),
                new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            ]),
            Params = RouteParams.Of(("id", "42")),
        };
        _response = RouteResponse.Json(new { id = 42, name = "Widget", price = 19.99, stock = 1, tags = new[] { "new" } });
        if (_response.Body.Length != 64)
        {
            throw new InvalidOperationException($"The response body is {_response.Body.Length} bytes, not 64.");
        }

        Invocation_Write();
        _invocationBytes = new ReadOnlySequence<byte>(_output.WrittenMemory.ToArray());
        Response_Write();
        _responseBytes = new ReadOnlySequence<byte>(_output.WrittenMemory.ToArray());
        Invocation_WriteJson();
        _invocationJson = _output.WrittenMemory.ToArray();
        Response_WriteJson();
        _responseJson = _output.WrittenMemory.ToArray();

        Validate(Invocation_Read());
        Validate(Invocation_ReadJson());
        Validate(Response_Read());
        Validate(Response_ReadJson());
    }

    [GlobalCleanup]
    public void Cleanup() => _jsonWriter.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("InvocationWrite")]
    public int Invocation_WriteJson()
    {
        _output.ResetWrittenCount();
        _jsonWriter.Reset(_output);
        JsonSerializer.Serialize(_jsonWriter, InvocationDto.From(_invocation), s_json);
        _jsonWriter.Flush();
        return _output.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("InvocationWrite")]
    public int Invocation_Write()
    {
        _output.ResetWrittenCount();
        RouteInvocationCodec.Instance.Write(_invocation, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("InvocationRead")]
    public RouteInvocation Invocation_ReadJson() => JsonSerializer.Deserialize<InvocationDto>(_invocationJson, s_json)!.ToInvocation();

    [Benchmark]
    [BenchmarkCategory("InvocationRead")]
    public RouteInvocation Invocation_Read() => RouteInvocationCodec.Instance.Read(_invocationBytes);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ResponseWrite")]
    public int Response_WriteJson()
    {
        _output.ResetWrittenCount();
        _jsonWriter.Reset(_output);
        JsonSerializer.Serialize(_jsonWriter, ResponseDto.From(_response), s_json);
        _jsonWriter.Flush();
        return _output.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("ResponseWrite")]
    public int Response_Write()
    {
        _output.ResetWrittenCount();
        RouteResponseCodec.Instance.Write(_response, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ResponseRead")]
    public RouteResponse Response_ReadJson() => JsonSerializer.Deserialize<ResponseDto>(_responseJson, s_json)!.ToResponse();

    [Benchmark]
    [BenchmarkCategory("ResponseRead")]
    public RouteResponse Response_Read() => RouteResponseCodec.Instance.Read(_responseBytes);

    private void Validate(RouteInvocation read)
    {
        if (read.Path != _invocation.Path
            || read.Headers.Count != 8
            || !read.Headers.AsSpan().SequenceEqual(_invocation.Headers.AsSpan())
            || read.Params["id"] != "42"
            || !read.Body.IsEmpty)
        {
            throw new InvalidOperationException("An invocation did not round-trip.");
        }
    }

    private void Validate(RouteResponse read)
    {
        if (read.Status != _response.Status
            || read.ContentType != _response.ContentType
            || read.Headers.Count != 0
            || !read.Body.Span.SequenceEqual(_response.Body.Span))
        {
            throw new InvalidOperationException("A response did not round-trip.");
        }
    }

    private sealed record InvocationDto(
        string Pattern,
        RouteMethod Handler,
        string Method,
        string Scheme,
        string Host,
        string Path,
        string QueryString,
        KeyValuePair<string, string>[] Headers,
        RouteParams Params,
        byte[] Body)
    {
        public static InvocationDto From(RouteInvocation value) => new(
            value.Pattern,
            value.Handler,
            value.Method,
            value.Scheme,
            value.Host,
            value.Path,
            value.QueryString,
            value.Headers.AsSpan().ToArray(),
            value.Params,
            value.Body.ToArray());

        public RouteInvocation ToInvocation() => new()
        {
            Pattern = Pattern,
            Handler = Handler,
            Method = Method,
            Scheme = Scheme,
            Host = Host,
            Path = Path,
            QueryString = QueryString,
            Headers = new RouteHeaders(Headers),
            Params = Params,
            Body = Body,
        };
    }

    private sealed record ResponseDto(int Status, string? ContentType, KeyValuePair<string, string>[] Headers, byte[] Body)
    {
        public static ResponseDto From(RouteResponse value) =>
            new(value.Status, value.ContentType, [.. value.Headers], value.Body.ToArray());

        public RouteResponse ToResponse() => RouteResponse.FromTrustedParts(Status, ContentType, Headers, Body);
    }
}
