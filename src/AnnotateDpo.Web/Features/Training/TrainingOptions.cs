using System.ComponentModel.DataAnnotations;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>The <c>Training</c> section: where runs go, how the trainer (the CLI, see <c>Cli</c>) runs, and how it is followed.</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>The folder of run folders; empty: runs/ under the app's home, where the CLI puts them too.</summary>
    public string RunsFolder { get; set; } = "";

    /// <summary>The base model offered first; empty: the tiny demo model in seed-data/models/demo-tiny.</summary>
    public string DemoModel { get; set; } = "";

    /// <summary>
    /// The trainer's niceness on Unix (0 to 19): with 10, the default, the pages keep the CPU when both want it. Tests
    /// on a shared machine use 0, where nobody waits on the pages.
    /// </summary>
    [Range(0, 19)] public int Niceness { get; set; } = 10;

    /// <summary>Torch threads of a run; null: the trainer's default, one per core.</summary>
    [Range(1, 1024)] public int? Threads { get; set; }

    /// <summary>How often a running run's files are read for progress.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")] public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a trainer asked to stop at shutdown may take to checkpoint before it is killed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    public string ResolvedRunsFolder => Path.GetFullPath(RunsFolder.Length > 0 ? RunsFolder : AppPaths.RunsFolder);

    public string ResolvedDemoModel => Path.GetFullPath(DemoModel.Length > 0 ? DemoModel : Path.Combine(AppPaths.SeedDataFolder, "models", "demo-tiny"));

}
