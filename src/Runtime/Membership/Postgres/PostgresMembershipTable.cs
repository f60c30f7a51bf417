using System.Collections.Immutable;
using System.Globalization;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Cluster.Runtime.Membership.Postgres;

/// <summary>
/// The membership table in PostgreSQL (orleans-runtime.md §1.10): table <c>cluster_membership_version</c> holds one
/// version row per cluster, the compare-and-swap target that every insert and update bumps by exactly one in the same
/// transaction as the row write; table <c>cluster_membership</c> holds the silos. The schema is created on first use.
/// A store that cannot be reached makes every call throw (an <see cref="NpgsqlException"/>); a lost race returns
/// <see langword="false"/>. Commands time out after a few seconds so a dead store fails fast.
/// </summary>
public sealed partial class PostgresMembershipTable : IMembershipTable, IAsyncDisposable, IDisposable
{
    // Membership calls must fail fast when the store is gone: the membership service retries on its own schedule, and
    // a caller stuck for the Npgsql default (30 s) would delay votes and joins far more than a quick failure does.
    private const int CommandTimeoutSeconds = 5;
    private const int ConnectTimeoutSeconds = 5;

    // The first use may wait for another process creating the schema under the advisory lock.
    private const int SchemaTimeoutSeconds = 15;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _clusterId;
    private readonly ILogger _logger;
    private volatile bool _schemaReady;

    /// <summary>Creates the table for <paramref name="clusterId"/> on a data source the caller owns (and disposes).</summary>
    /// <param name="dataSource">Where the tables live; its connect timeout should be short.</param>
    /// <param name="clusterId">The cluster whose rows this instance reads and writes (<c>Cluster:ClusterId</c>).</param>
    /// <param name="logger">The logger.</param>
    public PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId, ILogger logger)
        : this(dataSource, ownsDataSource: false, clusterId, logger)
    {
    }

    /// <summary>
    /// Creates the table for <paramref name="clusterId"/> on its own data source built from
    /// <paramref name="connectionString"/> (disposed with this instance). Unless the connection string sets
    /// <c>Timeout</c>, connecting gives up after 5 seconds.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Cluster:ConnectionString</c>).</param>
    /// <param name="clusterId">The cluster whose rows this instance reads and writes (<c>Cluster:ClusterId</c>).</param>
    /// <param name="logger">The logger.</param>
    public PostgresMembershipTable(string connectionString, string clusterId, ILogger logger)
        : this(CreateDataSource(connectionString), ownsDataSource: true, clusterId, logger)
    {
    }

    private PostgresMembershipTable(NpgsqlDataSource dataSource, bool ownsDataSource, string clusterId, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _clusterId = clusterId;
        _logger = logger;
    }

    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.EnsureVersionRow);
            AddClusterId(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(InitializeAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.ReadAll);
            AddClusterId(command.Parameters);
            return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(ReadAllAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadRowAsync(SiloAddress siloAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.ReadRow);
            AddClusterId(command.Parameters);
            AddKey(command.Parameters, siloAddress);
            return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(ReadRowAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = CommandTimeoutSeconds };

            // The version row may be missing after DeleteClusterAsync; a first insert (version 1) still works then.
            var ensure = new NpgsqlBatchCommand(PostgresMembershipSql.EnsureVersionRow);
            AddClusterId(ensure.Parameters);
            var bump = new NpgsqlBatchCommand(PostgresMembershipSql.BumpVersion);
            AddClusterId(bump.Parameters);
            bump.Parameters.Add(new NpgsqlParameter<int>("expected_version", version.Version - 1));
            var insert = new NpgsqlBatchCommand(PostgresMembershipSql.InsertMember);
            AddClusterId(insert.Parameters);
            AddEntry(insert.Parameters, entry, version.Version);
            batch.BatchCommands.Add(ensure);
            batch.BatchCommands.Add(bump);
            batch.BatchCommands.Add(insert);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            return await CommitIfAsync(transaction, bump.RecordsAffected == 1 && insert.RecordsAffected == 1, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(InsertRowAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(etag);

        // Etags this table hands out are integers; anything else can never match a row.
        if (!int.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var rowETag))
        {
            return false;
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = CommandTimeoutSeconds };

            // The version row is locked first, as by every writer, so the row write below cannot interleave with another
            // CAS winner; both counts must be 1 or the transaction rolls back and nothing changed.
            var bump = new NpgsqlBatchCommand(PostgresMembershipSql.BumpVersion);
            AddClusterId(bump.Parameters);
            bump.Parameters.Add(new NpgsqlParameter<int>("expected_version", version.Version - 1));
            var update = new NpgsqlBatchCommand(PostgresMembershipSql.UpdateMember);
            AddClusterId(update.Parameters);
            AddEntry(update.Parameters, entry, version.Version);
            update.Parameters.Add(new NpgsqlParameter<int>("etag", rowETag));
            batch.BatchCommands.Add(bump);
            batch.BatchCommands.Add(update);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            return await CommitIfAsync(transaction, bump.RecordsAffected == 1 && update.RecordsAffected == 1, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(UpdateRowAsync));
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>A silo without a row is ignored (the <c>UPDATE</c> matches nothing).</remarks>
    public async Task UpdateIAmAliveAsync(SiloAddress siloAddress, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.UpdateIAmAlive);
            AddClusterId(command.Parameters);
            AddKey(command.Parameters, siloAddress);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("i_am_alive_time", iAmAliveTime.ToUniversalTime()));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(UpdateIAmAliveAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<int> CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.CleanupDefunct);
            AddClusterId(command.Parameters);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("older_than", olderThan.ToUniversalTime()));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(CleanupDefunctEntriesAsync));
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = CreateCommand(connection, PostgresMembershipSql.DeleteCluster);
            AddClusterId(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            OnStoreError(ex, nameof(DeleteClusterAsync));
            throw;
        }
    }

    /// <summary>Disposes the data source if this instance created it.</summary>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Disposes the data source if this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Timeout == new NpgsqlConnectionStringBuilder().Timeout)
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        return NpgsqlDataSource.Create(builder);
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_schemaReady)
        {
            return connection;
        }

        try
        {
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(PostgresMembershipSql.CreateSchema, connection, transaction) { CommandTimeout = SchemaTimeoutSeconds };
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            _schemaReady = true;
            Log.SchemaReady(_logger, _clusterId);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql)
        => new(sql, connection) { CommandTimeout = CommandTimeoutSeconds };

    private static async Task<bool> CommitIfAsync(NpgsqlTransaction transaction, bool succeeded, CancellationToken cancellationToken)
    {
        if (succeeded)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }

        return succeeded;
    }

    private static async Task<MembershipTableData> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var version = 0;
        var entries = ImmutableArray.CreateBuilder<(MembershipEntry Entry, string ETag)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            version = reader.GetInt32(0);

            // The left join yields one all-null member for a cluster without rows.
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var entry = new MembershipEntry
            {
                SiloAddress = new SiloAddress(reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)),
                Status = (SiloStatus)reader.GetInt16(4),
                SuspectTimes = SuspectTimesJson.Read(reader.GetString(5)),
                SiloName = reader.GetString(6),
                HostName = reader.GetString(7),
                StartTime = reader.GetFieldValue<DateTimeOffset>(8),
                IAmAliveTime = reader.GetFieldValue<DateTimeOffset>(9),
            };
            entries.Add((entry, FormatInt(reader.GetInt32(10))));
        }

        return new MembershipTableData(entries.DrainToImmutable(), new TableVersion(version, FormatInt(version)));
    }

    private void AddClusterId(NpgsqlParameterCollection parameters)
        => parameters.Add(new NpgsqlParameter<string>("cluster_id", _clusterId));

    private static void AddKey(NpgsqlParameterCollection parameters, SiloAddress siloAddress)
    {
        // SiloAddress compares hosts case-insensitively; the key column holds the lower-cased host so the database
        // agrees, and the host column keeps the spelling the silo used.
        parameters.Add(new NpgsqlParameter<string>("host_key", siloAddress.Host.ToLowerInvariant()));
        parameters.Add(new NpgsqlParameter<int>("port", siloAddress.Port));
        parameters.Add(new NpgsqlParameter<int>("generation", siloAddress.Generation));
    }

    private static void AddEntry(NpgsqlParameterCollection parameters, MembershipEntry entry, int newVersion)
    {
        AddKey(parameters, entry.SiloAddress);
        parameters.Add(new NpgsqlParameter<string>("host", entry.SiloAddress.Host));
        parameters.Add(new NpgsqlParameter<short>("status", (short)entry.Status));
        parameters.Add(new NpgsqlParameter<string>("suspect_times", NpgsqlDbType.Jsonb) { TypedValue = SuspectTimesJson.Write(entry.SuspectTimes) });
        parameters.Add(new NpgsqlParameter<string>("silo_name", entry.SiloName ?? string.Empty));
        parameters.Add(new NpgsqlParameter<string>("host_name", entry.HostName ?? string.Empty));
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("start_time", entry.StartTime.ToUniversalTime()));
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("i_am_alive_time", entry.IAmAliveTime.ToUniversalTime()));
        parameters.Add(new NpgsqlParameter<int>("new_version", newVersion));
    }

    private static string FormatInt(int value) => value.ToString(CultureInfo.InvariantCulture);

    private void OnStoreError(NpgsqlException exception, string operation)
    {
        // After a lost connection (the server restarted or went away) every idle pooled connection is dead too; drop them
        // so the first call after the store comes back does not fail on a stale one.
        if (exception is not PostgresException { SqlState: not null } postgres
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal))
        {
            _dataSource.Clear();
        }

        Log.StoreCallFailed(_logger, exception, operation, _clusterId);
    }

    private static partial class Log
    {
        [LoggerMessage(4680, LogLevel.Debug, "The membership tables are ready in PostgreSQL (cluster {ClusterId}).")]
        public static partial void SchemaReady(ILogger logger, string clusterId);

        [LoggerMessage(4681, LogLevel.Debug, "The membership store call {Operation} failed for cluster {ClusterId}; the call throws and the caller retries.")]
        public static partial void StoreCallFailed(ILogger logger, Exception exception, string operation, string clusterId);
    }
}
