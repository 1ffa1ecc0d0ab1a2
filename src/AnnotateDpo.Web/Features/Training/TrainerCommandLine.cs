using System.Diagnostics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Web.Hosting;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>
/// The trainer's command lines for a run: <c>annotatedpo train … --snapshot ID --out RUN_FOLDER</c> for a new run and
/// <c>annotatedpo runs resume RUN_ID --runs RUNS_FOLDER</c> to continue one, both on the web app's database, started
/// under <c>nice</c> (Training:Niceness) on Unix so that the pages stay responsive while it trains.
/// </summary>
internal sealed class TrainerCommandLine(TrainingOptions options, CliLauncher cli, DatabaseTarget database)
{
    public ProcessStartInfo Train(TrainingRun run, string workspace, TrainingSettings settings)
    {
        List<string> arguments =
        [
            "train", "--db", DatabaseArgument, "--workspace", workspace, "--snapshot", run.SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. settings.ToTrainArguments(), "--out", run.RunFolder,
        ];
        if (options.Threads is { } threads)
            arguments.AddRange(["--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return cli.StartInfo(arguments, options.Niceness);
    }

    public ProcessStartInfo Resume(TrainingRun run) =>
        cli.StartInfo(["runs", "resume", run.RunKey, "--runs", Path.GetDirectoryName(run.RunFolder)!, "--db", DatabaseArgument], options.Niceness);

    private string DatabaseArgument => database.SqliteFile ?? database.ConnectionString;
}
