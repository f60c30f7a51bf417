using System.ComponentModel.DataAnnotations;

namespace Cluster.Gateway.Hosting;

/// <summary>Settings of the app's middleware in the gateway, section <c>Gateway:Middleware</c>.</summary>
public sealed class MiddlewareOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Middleware";

    /// <summary>
    /// The hosts a middleware rewrite may proxy to (a rewrite to an absolute URL on another host). An entry is a host
    /// name, which allows any port (<c>api.example.com</c>), or a host and port, which allows that port only
    /// (<c>127.0.0.1:8080</c>); names compare case-insensitively. A rewrite to a host not listed is answered 502.
    /// </summary>
    /// <value>Default empty: every proxy rewrite is refused. Entries must not be blank.</value>
    [Required]
    public string[] ProxyAllowedHosts { get; set; } = [];

    /// <summary>
    /// How long a proxied rewrite may wait for the upstream's response headers; past it the client gets 504. The body
    /// is then streamed for as long as the client stays.
    /// </summary>
    /// <value>Default 30 seconds; 1 millisecond to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ProxyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a graceful shutdown waits for background work handed to <c>MiddlewareContext.WaitUntil</c> once the
    /// server has stopped taking requests; work still running after it is abandoned (and counted in a log).
    /// </summary>
    /// <value>Default 10 seconds; 0 to 5 minutes. Keep it below the host's shutdown timeout (30 seconds by default).</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WaitUntilTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
