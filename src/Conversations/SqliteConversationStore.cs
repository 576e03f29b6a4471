using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Conversations;

/// <summary>
/// Conversations in an embedded SQLite database file (write-ahead log, one transaction per change): a restarted
/// process finds every conversation and every turn whose append had completed. The default store of a single process.
/// </summary>
public sealed partial class SqliteConversationStore : IConversationStore, IDisposable
{
    private readonly ConversationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lazy<Task> _schema;

    /// <summary>Initializes a new instance of the <see cref="SqliteConversationStore"/> class. The file and its folder are created on first use.</summary>
    /// <param name="options">The database path and limits.</param>
    /// <param name="timeProvider">The clock of creation times; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Logs where the database is; <see langword="null"/> for none.</param>
    public SqliteConversationStore(ConversationStoreOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteConversationStore>();
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Closes the pooled connections to the database file.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writer.Dispose();
    }

    /// <inheritdoc/>
    public async Task<ConversationSummary?> TryCreateAsync(string title, CancellationToken cancellationToken)
    {
        string clean = ConversationInput.NormalizeTitle(title, _options);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                long count = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM conversations", cancellationToken).ConfigureAwait(false);
                if (count >= _options.MaxConversations)
                {
                    return null;
                }

                string id = Guid.NewGuid().ToString("N");
                DateTimeOffset createdAt = _time.GetUtcNow();
                using SqliteCommand insert = Command(connection, transaction, "INSERT INTO conversations(id, title, created_at) VALUES ($id, $title, $created)");
                insert.Parameters.AddWithValue("$id", id);
                insert.Parameters.AddWithValue("$title", clean);
                insert.Parameters.AddWithValue("$created", createdAt.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return new ConversationSummary(id, clean, DateTimeOffset.FromUnixTimeMilliseconds(createdAt.ToUnixTimeMilliseconds()), 0);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ConversationDocument?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        using SqliteCommand head = Command(connection, transaction, "SELECT title, created_at FROM conversations WHERE id = $id");
        head.Parameters.AddWithValue("$id", id);
        string title;
        long created;
        await using (SqliteDataReader reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            title = reader.GetString(0);
            created = reader.GetInt64(1);
        }

        using SqliteCommand turns = Command(connection, transaction, "SELECT role, payload FROM turns WHERE conversation_id = $id ORDER BY seq");
        turns.Parameters.AddWithValue("$id", id);
        var list = new List<ConversationTurn>();
        await using (SqliteDataReader reader = await turns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new ConversationTurn(reader.GetString(0), reader.GetString(1)));
            }
        }

        return new ConversationDocument(id, title, DateTimeOffset.FromUnixTimeMilliseconds(created), list);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand list = Command(
            connection,
            null,
            "SELECT c.id, c.title, c.created_at, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) FROM conversations c ORDER BY c.created_at, c.rowid");
        var result = new List<ConversationSummary>();
        await using SqliteDataReader reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ConversationSummary(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetInt32(3)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<bool> AppendAsync(string id, ConversationTurn turn, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        ConversationInput.ValidateTurn(turn, _options);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand exists = Command(connection, transaction, "SELECT COUNT(*) FROM conversations WHERE id = $id");
                exists.Parameters.AddWithValue("$id", id);
                if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
                {
                    return false;
                }

                using SqliteCommand last = Command(connection, transaction, "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM turns WHERE conversation_id = $id");
                last.Parameters.AddWithValue("$id", id);
                long count;
                long seq;
                await using (SqliteDataReader reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    count = reader.GetInt64(0);
                    seq = reader.GetInt64(1);
                }

                if (count >= _options.MaxTurnsPerConversation)
                {
                    throw ConversationInput.TurnLimitReached(id, _options.MaxTurnsPerConversation);
                }

                using SqliteCommand insert = Command(connection, transaction, "INSERT INTO turns(conversation_id, seq, role, payload) VALUES ($id, $seq, $role, $payload)");
                insert.Parameters.AddWithValue("$id", id);
                insert.Parameters.AddWithValue("$seq", seq + 1);
                insert.Parameters.AddWithValue("$role", turn.Role);
                insert.Parameters.AddWithValue("$payload", turn.Payload);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> SetTitleAsync(string id, string title, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        string clean = ConversationInput.NormalizeTitle(title, _options);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand update = Command(connection, transaction, "UPDATE conversations SET title = $title WHERE id = $id");
                update.Parameters.AddWithValue("$id", id);
                update.Parameters.AddWithValue("$title", clean);
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                using SqliteCommand turns = Command(connection, transaction, "DELETE FROM turns WHERE conversation_id = $id");
                turns.Parameters.AddWithValue("$id", id);
                await turns.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                using SqliteCommand delete = Command(connection, transaction, "DELETE FROM conversations WHERE id = $id");
                delete.Parameters.AddWithValue("$id", id);
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The SQL is constant text; every value goes through a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            T result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CreateSchemaAsync()
    {
        try
        {
            string? folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            using SqliteCommand schema = Command(
                connection,
                null,
                """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS conversations(id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS turns(conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY(conversation_id, seq));
                """);
            await schema.ExecuteNonQueryAsync().ConfigureAwait(false);
            LogOpened(DatabasePath);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The conversation database '{DatabasePath}' cannot be opened or created: {e.Message}"), e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversations are kept in {Path}")]
    private partial void LogOpened(string path);
}
