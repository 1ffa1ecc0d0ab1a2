namespace AnnotateDpo.Core.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// A SQLite file path or a PostgreSQL connection string (see <see cref="DatabaseTarget.Parse"/>).
    /// Empty means the embedded default, <c>data/annotatedpo.db</c> under <see cref="AppPaths.Home"/>.
    /// </summary>
    public string Database { get; set; } = "";

    public DatabaseTarget ResolveTarget() =>
        DatabaseTarget.Parse(Database.Length > 0 ? Database : AppPaths.DefaultDatabaseFile);
}
