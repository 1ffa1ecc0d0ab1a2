namespace AnnotateDpo.Web.Features.Training;

/// <summary>
/// The names in a run folder that the trainer writes and reads (the child-process protocol in DEVELOPERS.md; in code,
/// Training's RunStatus, RunLog and RunFiles). The web app never loads torch, so it reads them as plain JSON; the
/// service tests run the real trainer, so a drift between the two breaks them.
/// </summary>
internal static class TrainerFiles
{
    public const string Status = "run.json";
    public const string Config = "config.json";
    public const string Metrics = "metrics.jsonl";
    public const string Report = "report.html";

    /// <summary>An empty file whose presence asks the trainer to stop (and checkpoint) at its next step boundary.</summary>
    public const string Cancel = "cancel";

    /// <summary>The stage folders, in the order they run; each a Hugging Face model folder once the stage is done.</summary>
    public static readonly IReadOnlyList<string> Stages = ["sft", "dpo"];

    public static string StatusFile(string runFolder) => Path.Combine(runFolder, Status);

    public static void RequestCancel(string runFolder) => File.WriteAllText(Path.Combine(runFolder, Cancel), "");

    /// <summary>Exit codes of <c>annotatedpo train</c> and <c>runs resume</c>.</summary>
    public const int ExitInvalidInput = 2;
    public const int ExitCancelled = 130;
}
