using System.Text;
using AnnotateDpo.Core.Storage;
using Npgsql;

namespace AnnotateDpo.Core.Tests;

/// <summary>
/// A freshly migrated database for one test, with a scratch folder for the test's files; both are deleted on dispose.
/// SQLite always (a file in the scratch folder); PostgreSQL when <see cref="PostgresVariable"/> holds a connection
/// string (key/value or postgres:// URI) to a server on which the user may create databases: each test gets its own,
/// uniquely named, dropped again on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "ANNOTATEDPO_TEST_POSTGRES";

    private readonly (string ServerConnectionString, string Database)? _postgres;

    private TestDatabase(AnnotateDbContextFactory factory, string folder, (string, string)? postgres)
    {
        Factory = factory;
        Folder = folder;
        _postgres = postgres;
    }

    public AnnotateDbContextFactory Factory { get; }

    /// <summary>A scratch folder that only this test uses.</summary>
    public string Folder { get; }

    public DatabaseProvider Provider => Factory.Target.Provider;

    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// For <c>[Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]</c>: SQLite, and
    /// PostgreSQL when a server is configured — or on CI (<c>CI=true</c>), where a missing server must fail, not hide.
    /// </summary>
    public static TheoryData<DatabaseProvider> Providers =>
        PostgresServer is not null || IsCi ? [DatabaseProvider.Sqlite, DatabaseProvider.Postgres] : [DatabaseProvider.Sqlite];

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => CreateSqliteAsync(),
        DatabaseProvider.Postgres => CreatePostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public static async Task<TestDatabase> CreateSqliteAsync()
    {
        var folder = NewFolder();
        var factory = new AnnotateDbContextFactory(DatabaseTarget.Parse(Path.Combine(folder, "test.db")));
        await factory.MigrateAsync();
        return new TestDatabase(factory, folder, null);
    }

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = DatabaseTarget.Parse(PostgresServer ?? throw new InvalidOperationException(
            $"Set {PostgresVariable} to a PostgreSQL connection string to run the PostgreSQL tests."));
        var database = "annotatedpo_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{database}\"");
        var target = new DatabaseTarget(DatabaseProvider.Postgres,
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString);
        var factory = new AnnotateDbContextFactory(target);
        await factory.MigrateAsync();
        return new TestDatabase(factory, NewFolder(), (server.ConnectionString, database));
    }

    public AnnotateDbContext CreateDbContext() => Factory.CreateDbContext();

    /// <summary>Writes a file into <see cref="Folder"/> (UTF-8, with a BOM when asked) and returns its path.</summary>
    public string WriteFile(string name, string content, bool byteOrderMark = false)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(byteOrderMark));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is (string server, string database))
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
        else
        {
            AnnotateDbContextFactory.ClearSqlitePools();
        }
        Directory.Delete(Folder, recursive: true);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "annotatedpo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
