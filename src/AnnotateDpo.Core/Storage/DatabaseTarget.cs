namespace AnnotateDpo.Core.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// What a <c>--db</c> value or the <c>Storage:Database</c> setting names: a SQLite file path (or a SQLite connection
/// string) or a PostgreSQL connection string (key/value with Host=, or a postgres:// URI).
/// </summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseTarget Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, PostgresUriToKeyValues(new Uri(trimmed)));
        }
        if (trimmed.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Postgres, trimmed);

        var path = trimmed.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
            ? trimmed["Data Source=".Length..].Split(';')[0]
            : trimmed;
        var fullPath = Path.GetFullPath(path);
        return new(DatabaseProvider.Sqlite, $"Data Source={fullPath};Foreign Keys=True;Pooling=True");
    }

    /// <summary>The SQLite file, or null for PostgreSQL.</summary>
    public string? SqliteFile => Provider == DatabaseProvider.Sqlite
        ? ConnectionString["Data Source=".Length..].Split(';')[0]
        : null;

    /// <summary>The target as shown to a person: the file, or the server and database without the password.</summary>
    public string Describe()
    {
        if (SqliteFile is { } file) return $"SQLite {file}";
        var parts = ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase));
        return "PostgreSQL " + string.Join(';', parts);
    }

    private static string PostgresUriToKeyValues(Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={uri.Host}", $"Port={(uri.Port > 0 ? uri.Port : 5432)}" };
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0) parts.Add($"Database={Uri.UnescapeDataString(database)}");
        if (userInfo[0].Length > 0) parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        if (userInfo.Length > 1) parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        return string.Join(';', parts);
    }
}
