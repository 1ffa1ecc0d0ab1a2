using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// Exit codes: 0 done, 1 unexpected failure, 2 invalid input (the message says which row, field or setting), 3 a
/// training run failed after its run folder was written (run.json holds the error), 130 a run was cancelled.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidInput = 2;
    public const int RunFailed = 3;

    /// <summary>128 + SIGINT, the conventional code of a stopped command; also for the cancel file and SIGTERM.</summary>
    public const int Cancelled = 130;
}

internal static class CliSupport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Option<string> DatabaseOption() => new("--db")
    {
        Description = "SQLite file or PostgreSQL connection string (default: the web app's database, data/annotatedpo.db).",
        DefaultValueFactory = _ => AppPaths.DefaultDatabaseFile,
    };

    public static Option<string> RunsOption() => new("--runs")
    {
        Description = "The folder of run folders (default: the web app's, runs/ under the app's home).",
        DefaultValueFactory = _ => AppPaths.RunsFolder,
    };

    public static Option<string> WorkspaceOption() => new("--workspace", "-w")
    {
        Description = "The workspace's name.",
        Required = true,
    };

    /// <summary>Opens the database named by <c>--db</c>, creating or upgrading its schema.</summary>
    public static async Task<AnnotateDbContextFactory> OpenDatabaseAsync(string db, CancellationToken cancellationToken)
    {
        var factory = new AnnotateDbContextFactory(DatabaseTarget.Parse(db));
        await factory.MigrateAsync(cancellationToken);
        return factory;
    }

    /// <summary>
    /// The demo model's tokenizer, which the web app's coverage page counts tokens with too, so that <c>stats</c> and the
    /// page give the same length bias in tokens; null (no figure in tokens) where the seed data is not installed.
    /// </summary>
    public static HfTokenizer? DemoTokenizer() =>
        File.Exists(Path.Combine(AppPaths.DemoModelFolder, HfTokenizer.TokenizerFileName)) ? HfTokenizer.Load(AppPaths.DemoModelFolder) : null;

    public static ITokenCounter? CountingWith(HfTokenizer? tokenizer) => tokenizer is null
        ? null
        : TokenCounter.ForTokenizerFile(Path.Combine(AppPaths.DemoModelFolder, HfTokenizer.TokenizerFileName), text => tokenizer.Encode(text).Length);

    /// <summary>Runs a command body, turning the errors a user can fix into a message and exit code 2.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    private static bool IsUserError(Exception ex) => ex is WorkspaceNotFoundException or AccountException or ArgumentException
        or KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException;
}
