namespace Cluster.Runtime.Membership;

/// <summary>
/// A silo could not join the cluster: a newer generation of it is already registered, it could not reach every active
/// silo within <see cref="ClusterMembershipOptions.MaxJoinAttemptTime"/>, or it was declared dead while joining. The
/// process must not serve; a restart makes it a new silo.
/// </summary>
public sealed class MembershipJoinException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public MembershipJoinException()
        : base("The silo could not join the cluster.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MembershipJoinException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public MembershipJoinException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
