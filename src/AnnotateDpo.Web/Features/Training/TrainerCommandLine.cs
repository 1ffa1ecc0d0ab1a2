using System.Diagnostics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>
/// The trainer's command lines for a run: <c>annotatedpo train … --snapshot ID --out RUN_FOLDER</c> for a new run and
/// <c>annotatedpo runs resume RUN_ID --runs RUNS_FOLDER</c> to continue one, both on the web app's database, started
/// under <c>nice</c> (Training:Niceness) on Unix so that the pages stay responsive while it trains.
/// </summary>
internal sealed class TrainerCommandLine(TrainingOptions options, DatabaseTarget database)
{
    public string CliPath => options.ResolvedCliPath;

    /// <summary>Null when the trainer is where the options say; otherwise what to do about it.</summary>
    public string? Problem => File.Exists(CliPath)
        ? null
        : $"The trainer {CliPath} does not exist; build src/AnnotateDpo.Cli (dotnet build AnnotateDpo.sln) or set Training:CliPath.";

    public ProcessStartInfo Train(TrainingRun run, string workspace, TrainingSettings settings)
    {
        List<string> arguments =
        [
            "train", "--db", DatabaseArgument, "--workspace", workspace, "--snapshot", run.SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. settings.ToTrainArguments(), "--out", run.RunFolder,
        ];
        if (options.Threads is { } threads)
            arguments.AddRange(["--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return Start(arguments);
    }

    public ProcessStartInfo Resume(TrainingRun run) =>
        Start(["runs", "resume", run.RunKey, "--runs", Path.GetDirectoryName(run.RunFolder)!, "--db", DatabaseArgument]);

    private string DatabaseArgument => database.SqliteFile ?? database.ConnectionString;

    private ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        List<string> command = CliPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [options.Dotnet, CliPath] : [CliPath];
        if (!OperatingSystem.IsWindows() && options.Niceness > 0)
            // nice sets the niceness before the runtime starts, so every thread of the trainer (torch's too) inherits it.
            command.InsertRange(0, ["nice", "-n", options.Niceness.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(arguments))
            start.ArgumentList.Add(argument);
        return start;
    }
}
