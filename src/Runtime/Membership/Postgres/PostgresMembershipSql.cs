namespace Cluster.Runtime.Membership.Postgres;

/// <summary>
/// The SQL of <see cref="PostgresMembershipTable"/> (orleans-runtime.md §1.10): a version row per cluster that every
/// insert and update bumps by one under compare-and-swap, and a members table keyed by cluster and silo address.
/// </summary>
internal static class PostgresMembershipSql
{
    /// <summary>
    /// Creates the tables if they are missing. <c>CREATE TABLE IF NOT EXISTS</c> alone can still fail when two sessions
    /// run it at the same moment (both insert the catalog row), so a transaction-scoped advisory lock serialises them.
    /// Status is a forward-only integer (orleans-runtime.md §1.1); the row's etag is the table version that last wrote it.
    /// </summary>
    public const string CreateSchema = """
        SELECT pg_advisory_xact_lock(4344339217021640033);
        CREATE TABLE IF NOT EXISTS cluster_membership_version (
            cluster_id text PRIMARY KEY,
            version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS cluster_membership (
            cluster_id text NOT NULL REFERENCES cluster_membership_version (cluster_id) ON DELETE CASCADE,
            host_key text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            host text NOT NULL,
            status smallint NOT NULL CHECK (status BETWEEN 0 AND 6),
            suspect_times jsonb NOT NULL DEFAULT '[]'::jsonb,
            silo_name text NOT NULL,
            host_name text NOT NULL,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            etag integer NOT NULL,
            PRIMARY KEY (cluster_id, host_key, port, generation)
        );
        """;

    /// <summary>Creates the cluster's version row at 0 unless it exists.</summary>
    public const string EnsureVersionRow = """
        INSERT INTO cluster_membership_version (cluster_id) VALUES (@cluster_id) ON CONFLICT (cluster_id) DO NOTHING
        """;

    /// <summary>
    /// Bumps the version by one if it is still the one the writer read. Under READ COMMITTED a concurrent writer blocks
    /// on this row and then re-checks the condition against the committed version, so exactly one writer per version wins.
    /// </summary>
    public const string BumpVersion = """
        UPDATE cluster_membership_version SET version = version + 1, updated_at = now()
        WHERE cluster_id = @cluster_id AND version = @expected_version
        """;

    /// <summary>Inserts the row unless one has its address.</summary>
    public const string InsertMember = """
        INSERT INTO cluster_membership
            (cluster_id, host_key, port, generation, host, status, suspect_times, silo_name, host_name, start_time, i_am_alive_time, etag)
        VALUES
            (@cluster_id, @host_key, @port, @generation, @host, @status, @suspect_times, @silo_name, @host_name, @start_time, @i_am_alive_time, @new_version)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// Replaces the row if its etag still matches and the status does not move backwards; a Dead row is final, so it
    /// never matches.
    /// </summary>
    public const string UpdateMember = """
        UPDATE cluster_membership SET
            host = @host, status = @status, suspect_times = @suspect_times, silo_name = @silo_name, host_name = @host_name,
            start_time = @start_time, i_am_alive_time = @i_am_alive_time, etag = @new_version
        WHERE cluster_id = @cluster_id AND host_key = @host_key AND port = @port AND generation = @generation
            AND etag = @etag AND status <> 6 AND status <= @status
        """;

    /// <summary>Writes the I-am-alive time only: no version bump, no etag change.</summary>
    public const string UpdateIAmAlive = """
        UPDATE cluster_membership SET i_am_alive_time = @i_am_alive_time
        WHERE cluster_id = @cluster_id AND host_key = @host_key AND port = @port AND generation = @generation
        """;

    /// <summary>
    /// The version row left-joined to the members, so one statement (one snapshot) returns the version even with no
    /// rows; no version row at all reads as version 0.
    /// </summary>
    public const string ReadAll = """
        SELECT v.version, m.host, m.port, m.generation, m.status, m.suspect_times::text, m.silo_name, m.host_name,
               m.start_time, m.i_am_alive_time, m.etag
        FROM cluster_membership_version v
        LEFT JOIN cluster_membership m ON m.cluster_id = v.cluster_id
        WHERE v.cluster_id = @cluster_id
        """;

    /// <summary>As <see cref="ReadAll"/>, for one silo's row.</summary>
    public const string ReadRow = """
        SELECT v.version, m.host, m.port, m.generation, m.status, m.suspect_times::text, m.silo_name, m.host_name,
               m.start_time, m.i_am_alive_time, m.etag
        FROM cluster_membership_version v
        LEFT JOIN cluster_membership m ON m.cluster_id = v.cluster_id
            AND m.host_key = @host_key AND m.port = @port AND m.generation = @generation
        WHERE v.cluster_id = @cluster_id
        """;

    /// <summary>Deletes rows that are not Active (3) and whose effective I-am-alive time is older than the cutoff.</summary>
    public const string CleanupDefunct = """
        DELETE FROM cluster_membership
        WHERE cluster_id = @cluster_id AND status <> 3 AND GREATEST(start_time, i_am_alive_time) < @older_than
        """;

    /// <summary>Deletes the version row; the members go with it (<c>ON DELETE CASCADE</c>).</summary>
    public const string DeleteCluster = """
        DELETE FROM cluster_membership_version WHERE cluster_id = @cluster_id
        """;
}
