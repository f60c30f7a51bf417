namespace Cluster.Runtime;

/// <summary>
/// The silo cannot take the call (it is shutting down or has stopped). The request was never started, so a caller
/// such as the gateway may safely send it to another silo.
/// </summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SiloUnavailableException()
        : base("The silo is shutting down or stopped and did not start the request; it may be retried on another silo.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SiloUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SiloUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
