namespace Cluster.Gateway.Pipeline;

/// <summary>The outcome of reading a request body.</summary>
internal enum BodyReadStatus
{
    /// <summary>The whole body was read.</summary>
    Complete,

    /// <summary>The body is larger than <c>Gateway:MaxRequestBodySize</c>: 413.</summary>
    TooLarge,

    /// <summary>The client went away or sent a broken body; nothing is answered.</summary>
    ClientAborted,
}
