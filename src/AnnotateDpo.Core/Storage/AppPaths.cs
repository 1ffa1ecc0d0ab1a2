namespace AnnotateDpo.Core.Storage;

/// <summary>
/// Where the app keeps its data, so that the web app and the CLI find the same database:
/// <c>ANNOTATEDPO_HOME</c> when set, else the checkout that holds AnnotateDpo.sln (running from source),
/// else the folder of the executable.
/// </summary>
public static class AppPaths
{
    public const string HomeVariable = "ANNOTATEDPO_HOME";

    public static string Home { get; } = FindHome();

    public static string DataFolder => Path.Combine(Home, "data");

    public static string DefaultDatabaseFile => Path.Combine(DataFolder, "annotatedpo.db");

    public static string SeedDataFolder => Path.Combine(Home, "seed-data");

    /// <summary>The tiny demo model shipped with the checkout; its tokenizer counts the tokens of the length bias.</summary>
    public static string DemoModelFolder => Path.Combine(SeedDataFolder, "models", "demo-tiny");

    public static string RunsFolder => Path.Combine(Home, "runs");

    private static string FindHome()
    {
        if (Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home)
            return Path.GetFullPath(home);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnnotateDpo.sln")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
