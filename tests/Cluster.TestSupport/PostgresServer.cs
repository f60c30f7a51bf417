using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cluster.TestSupport;

/// <summary>
/// A throw-away PostgreSQL server for tests, run from the machine's own binaries (<c>/usr/lib/postgresql/*/bin</c>):
/// <see cref="InitializeAsync"/> runs <c>initdb</c> into a fresh temporary directory and starts the server on
/// 127.0.0.1 and a free port, with trust authentication and <c>fsync</c> off (fast; committed data survives a killed
/// server, just not a crashed machine). <see cref="StopAsync"/> and <see cref="StartAsync"/> take the server away and
/// bring it back on the same port, to test what clients do while the store is down. <see cref="DisposeAsync"/> kills
/// the server and deletes the directory. PostgreSQL refuses to run as root, so when the tests run as root every command runs as the
/// <c>postgres</c> OS user through <c>runuser</c>.
/// </summary>
/// <remarks>
/// The shape fits an xunit <c>IAsyncLifetime</c> collection fixture: call <see cref="InitializeAsync"/> from its
/// <c>InitializeAsync</c> and <see cref="DisposeAsync"/> from its <c>DisposeAsync</c>. This library does not reference
/// xunit, so test projects on either xunit version can use it.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The superuser <c>initdb</c> creates; trust authentication lets it in without a password.</summary>
    public const string SuperUser = "postgres";

    private const string PostgresOsUser = "postgres";
    private const string BinDirectoryVariable = "CLUSTER_POSTGRES_BIN";

    // Generous: the machine is shared and slow, and initdb plus the first start can take many seconds there.
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(2);

    // The server's messages are parsed by nobody but people: keep them in English and independent of the machine.
    private static readonly KeyValuePair<string, string>[] s_commandEnvironment = [new("LC_ALL", "C"), new("LANG", "C")];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _asPostgresUser = Environment.IsPrivilegedProcess;
    private string? _binDirectory;
    private string? _rootDirectory;
    private int _port;
    private bool _running;
    private bool _disposed;
    private int _databaseCount;

    /// <summary>The TCP port on 127.0.0.1 (0 before <see cref="InitializeAsync"/>).</summary>
    public int Port => _port;

    /// <summary>Whether the server is started (between <see cref="StartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning => Volatile.Read(ref _running);

    /// <summary>The temporary directory that holds the data directory, the socket and the server log.</summary>
    public string RootDirectory => _rootDirectory ?? throw NotInitialized();

    /// <summary>The server log (useful in a failure message).</summary>
    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>A connection string for the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => GetConnectionString("postgres");

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string SocketDirectory => Path.Combine(RootDirectory, "sock");

    /// <summary>
    /// Finds the server binaries: <c>$CLUSTER_POSTGRES_BIN</c> if set, else the newest <c>/usr/lib/postgresql/*/bin</c>
    /// that has <c>pg_ctl</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No PostgreSQL server binaries are installed.</exception>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "pg_ctl"))
                ? configured
                : throw new InvalidOperationException($"{BinDirectoryVariable} is '{configured}', but it has no pg_ctl.");
        }

        const string Root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(static version => (Version: ParseMajor(Path.GetFileName(version)), Bin: Path.Combine(version, "bin")))
                .Where(static c => File.Exists(Path.Combine(c.Bin, "pg_ctl")) && File.Exists(Path.Combine(c.Bin, "initdb")))
                .OrderByDescending(static c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Bin
            : throw new InvalidOperationException(
                $"No PostgreSQL server binaries were found under {Root}/*/bin (pg_ctl, initdb). Install the server "
                + $"(e.g. 'apt-get install postgresql-15') or set {BinDirectoryVariable} to a directory that has them.");
    }

    /// <summary>Creates the data directory and starts the server on a free port; waits until it accepts connections.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_rootDirectory is not null)
            {
                throw new InvalidOperationException("The server is already initialized.");
            }

            _binDirectory = FindBinDirectory();
            _rootDirectory = Path.Combine(Path.GetTempPath(), "cluster-pg-" + Guid.NewGuid().ToString("N")[..12]);
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

            // The directory must belong to the server's user: create it as that user.
            await RunAsync("/bin/mkdir", ["-m", "700", _rootDirectory], Path.GetTempPath(), cancellationToken).ConfigureAwait(false);
            await RunAsync("/bin/mkdir", ["-m", "700", SocketDirectory], _rootDirectory, cancellationToken).ConfigureAwait(false);
            await RunAsync(
                Path.Combine(_binDirectory, "initdb"),
                ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                _rootDirectory,
                cancellationToken).ConfigureAwait(false);

            // Appended after initdb's defaults, so these win. fsync is off: a test database never outlives the machine.
            // synchronous_commit stays on: a commit must reach the OS before it is acknowledged, or an immediate stop
            // (StopAsync) would lose the last acknowledged writes. 300 connections: contract tests race 50 writers,
            // and several pools may be open at once.
            await File.AppendAllTextAsync(
                Path.Combine(DataDirectory, "postgresql.conf"),
                $"""

                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{SocketDirectory}'
                fsync = off
                full_page_writes = off
                shared_buffers = 16MB
                max_connections = 300
                log_min_messages = warning

                """,
                cancellationToken).ConfigureAwait(false);

            // A port found free can be taken by someone else before the server binds it; try a few.
            for (var attempt = 1; ; attempt++)
            {
                _port = FindFreePort();
                try
                {
                    await StartCoreAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the server again on the same port after <see cref="StopAsync"/>; waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_rootDirectory is null)
            {
                throw NotInitialized();
            }

            if (!_running)
            {
                await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops the server at once (<c>pg_ctl stop -m immediate</c>: connections are cut, as when a database host dies);
    /// the data stays for <see cref="StartAsync"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running)
            {
                await StopCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser, over TCP on 127.0.0.1.</summary>
    public string GetConnectionString(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        if (_port == 0)
        {
            throw NotInitialized();
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _port,
            Username = SuperUser,
            Database = database,
            Timeout = 5,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    /// <summary>Creates a new, empty database and returns its connection string (e.g. one database per test class).</summary>
    /// <param name="prefix">The start of the database's name; a counter makes it unique on this server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var name = string.Create(CultureInfo.InvariantCulture, $"{SanitizeName(prefix)}_{Interlocked.Increment(ref _databaseCount)}");

        // No pooling: a pooled admin connection would be dead after StopAsync and fail the next call.
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection) { CommandTimeout = 60 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return GetConnectionString(name);
    }

    /// <summary>Kills the server (<c>pg_ctl stop -m immediate</c>) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            if (_running)
            {
                try
                {
                    await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Deleting the directory below still removes the data; a server that would not stop has nothing left.
                }
            }

            if (_rootDirectory is not null && Directory.Exists(_rootDirectory))
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunCoreAsync(
            Path.Combine(_binDirectory!, "pg_ctl"),
            ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-o", $"-p {_port.ToString(CultureInfo.InvariantCulture)}", "start"],
            RootDirectory,
            cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start on port {_port} (pg_ctl exited with {exitCode}).\n{output}\nServer log:\n{ReadLogTail()}");
        }

        Volatile.Write(ref _running, true);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await RunAsync(
            Path.Combine(_binDirectory!, "pg_ctl"),
            ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"],
            RootDirectory,
            cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _running, false);
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunCoreAsync(fileName, arguments, workingDirectory, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{Path.GetFileName(fileName)} {string.Join(' ', arguments)}' exited with {exitCode}:\n{output}");
        }
    }

    private Task<(int ExitCode, string Output)> RunCoreAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
        => _asPostgresUser
            ? ProcessRunner.RunAsync(File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", ["-u", PostgresOsUser, "--", fileName, .. arguments], s_commandTimeout, workingDirectory, s_commandEnvironment, cancellationToken)
            : ProcessRunner.RunAsync(fileName, arguments, s_commandTimeout, workingDirectory, s_commandEnvironment, cancellationToken);

    private string ReadLogTail()
    {
        try
        {
            var text = File.ReadAllText(LogFile);
            return text.Length <= 4000 ? text : text[^4000..];
        }
        catch (IOException)
        {
            return "(no server log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(the server log is not readable)";
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // A test run that ends without disposing (a crash, a cancelled run) must not leave a server behind.
        if (Volatile.Read(ref _running) && _binDirectory is not null)
        {
            try
            {
                RunCoreAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "stop"], RootDirectory, CancellationToken.None)
                    .Wait(TimeSpan.FromSeconds(10));
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is AggregateException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Best effort while the process exits.
            }
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int ParseMajor(string name)
        => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1;

    private static string SanitizeName(string prefix)
    {
        Span<char> buffer = stackalloc char[Math.Min(prefix.Length, 40)];
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = char.ToLowerInvariant(prefix[i]);
            buffer[i] = char.IsAsciiLetterOrDigit(c) ? c : '_';
        }

        return new string(buffer);
    }

    private static InvalidOperationException NotInitialized() => new("The PostgreSQL server is not initialized; call InitializeAsync first.");
}
