using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AnnotateDpo.Core.Storage;

/// <summary>Creates short-lived contexts of the provider-specific subclass that the target names.</summary>
public sealed class AnnotateDbContextFactory : IDbContextFactory<AnnotateDbContext>
{
    private readonly Func<AnnotateDbContext> _create;

    public AnnotateDbContextFactory(DatabaseTarget target)
    {
        Target = target;
        switch (target.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteAnnotateDbContext>()
                    .UseSqlite(target.ConnectionString, o => o.MigrationsAssembly(typeof(AnnotateDbContext).Assembly))
                    .Options;
                _create = () => new SqliteAnnotateDbContext(sqlite);
                break;
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresAnnotateDbContext>()
                    .UseNpgsql(target.ConnectionString)
                    .Options;
                _create = () => new PostgresAnnotateDbContext(postgres);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target.Provider, "Unknown database provider.");
        }
    }

    public DatabaseTarget Target { get; }

    public AnnotateDbContext CreateDbContext() => _create();

    /// <summary>
    /// Creates or upgrades the schema, fills the search columns of rows that lack them (<see cref="SearchColumns"/>), and
    /// on SQLite switches the file to write-ahead logging.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (Target.SqliteFile is { } file)
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var db = CreateDbContext();
        await db.Database.MigrateAsync(cancellationToken);
        if (Target.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await SearchColumns.FillMissingAsync(this, cancellationToken);
    }

    /// <summary>Releases pooled SQLite connections so the file can be moved or deleted.</summary>
    public static void ClearSqlitePools() => SqliteConnection.ClearAllPools();
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAnnotateDbContext>
{
    public SqliteAnnotateDbContext CreateDbContext(string[] args) =>
        (SqliteAnnotateDbContext)new AnnotateDbContextFactory(DatabaseTarget.Parse("design-time.db")).CreateDbContext();
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAnnotateDbContext>
{
    public PostgresAnnotateDbContext CreateDbContext(string[] args) =>
        (PostgresAnnotateDbContext)new AnnotateDbContextFactory(
            DatabaseTarget.Parse("Host=localhost;Database=annotatedpo_design")).CreateDbContext();
}
