namespace Cluster.Runtime;

/// <summary>A grain call failed with an exception on another silo; carries its type name and message, not its stack.</summary>
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string exceptionType, string message)
        : base($"{exceptionType}: {message}")
        => ExceptionType = exceptionType;

    /// <summary>The full name of the exception's type on the remote silo.</summary>
    public string ExceptionType { get; }
}
