using System.Net.Sockets;
using System.Text;

namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>
/// Sends hand-written HTTP/1.1 over a real socket: for request targets that HttpClient would normalise or refuse
/// (repeated slashes, dot segments, broken escapes) and for clients that misbehave mid-request.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public static async Task<RawHttpResponse> SendAsync(Uri server, string method, string target, string? body = null, params string[] headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port).WaitAsync(s_timeout);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }

        if (body is not null)
        {
            request.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n");
        }

        request.Append("\r\n").Append(body);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString())).AsTask().WaitAsync(s_timeout);
        return await ReadResponseAsync(stream);
    }

    /// <summary>Sends the bytes as they are and reads whatever response comes back before the server closes.</summary>
    public static async Task<RawHttpResponse> SendBytesAsync(Uri server, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port).WaitAsync(s_timeout);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes).AsTask().WaitAsync(s_timeout);
        return await ReadResponseAsync(stream);
    }

    /// <summary>Starts a request, sends part of its body, then drops the connection.</summary>
    public static async Task SendPartialBodyAndDisconnectAsync(Uri server, string target, int announcedLength, int sentLength)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port).WaitAsync(s_timeout);
        var stream = client.GetStream();
        var head = $"POST {target} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {announcedLength}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head)).AsTask().WaitAsync(s_timeout);
        await stream.WriteAsync(new byte[sentLength]).AsTask().WaitAsync(s_timeout);
        await stream.FlushAsync();
        client.Client.LingerState = new LingerOption(true, 0);
        client.Close();
    }

    private static async Task<RawHttpResponse> ReadResponseAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk).AsTask().WaitAsync(s_timeout)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // The server may reset the connection right after answering (e.g. 413 with an unread body).
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            throw new InvalidOperationException($"No complete HTTP response was received: '{text}'.");
        }

        var lines = text[..headerEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            parsed[name] = parsed.TryGetValue(name, out var existing) ? existing + "\n" + value : value;
        }

        return new RawHttpResponse(status, parsed, text[(headerEnd + 4)..]);
    }
}
