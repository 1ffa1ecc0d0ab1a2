using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo ablation</c>: "does SFT first pay off on my data?" — DPO from the base model (the base is its
/// reference), then SFT → DPO, on one snapshot with the same settings and seed, each through the pipeline <c>train</c>
/// runs, into <c>OUT/dpo-from-base</c> and <c>OUT/sft-then-dpo</c>; then the two side by side, on the console and in
/// <c>OUT/ablation.html</c>. A cancelled or failed arm stops the ablation with that arm's exit code.
/// </summary>
internal static class AblationCommand
{
    public const string DpoFromBaseFolder = "dpo-from-base";
    public const string SftThenDpoFolder = "sft-then-dpo";
    public const string ReportFileName = "ablation.html";

    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var snapshot = new Option<long?>("--snapshot") { Description = "Snapshot id to train both arms on (default: snapshot the workspace now)." };
        var model = new Option<string>("--model") { Description = "Hugging Face folder of the base model.", Required = true };
        var preset = new Option<string>("--preset")
        {
            Description = $"Settings of both arms: {string.Join(", ", TrainingPresets.Names)}.",
            DefaultValueFactory = _ => TrainingPresets.Demo,
        };
        var epochs = new Option<double?>("--epochs") { Description = "Epochs of every stage." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Optimizer steps of every stage (overrides --epochs)." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate of every stage." };
        var beta = new Option<double?>("--beta") { Description = "DPO β. Default: the preset's." };
        var seed = new Option<int?>("--seed") { Description = "Seed of both arms. Default: 42." };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core); fix it for reproducible runs." };
        var runs = CliSupport.RunsOption();
        var output = new Option<string?>("--out") { Description = "Folder of the two run folders and the report (default: --runs/<timestamp>-ablation-s<snapshot>)." };
        var command = new Command("ablation", "Does SFT first pay off? Trains DPO from the base model and SFT → DPO on one snapshot and compares them.")
        {
            db, workspace, snapshot, model, preset, epochs, maxSteps, lr, beta, seed, threads, runs, output,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var modelDirectory = Path.GetFullPath(parse.GetValue(model)!);
            var start = TrainingPresets.Create(parse.GetValue(preset)!, "pending", modelDirectory, "pending");
            var settings = TrainCommand.ApplyOverrides(start, stages: null, loss: null, parse.GetValue(beta), rpoAlpha: null, dpopLambda: null,
                parse.GetValue(epochs), parse.GetValue(maxSteps), parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(threads));
            settings.Validate();

            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var workspaceName = parse.GetValue(workspace)!;
            var data = await SnapshotTrainingData.LoadAsync(factory, workspaceName, parse.GetValue(snapshot), ct);
            if (data.SftTrain.Count == 0 || data.PairTrain.Count == 0)
                throw new ArgumentException(
                    $"Snapshot {data.Snapshot.Id} of workspace '{workspaceName}' needs approved SFT examples and resolved pairs in its train split for an ablation; it has {data.SftTrain.Count} and {data.PairTrain.Count}.");
            var folder = Path.GetFullPath(parse.GetValue(output)
                ?? Path.Combine(parse.GetValue(runs)!, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-ablation-s{data.Snapshot.Id}")));
            Console.WriteLine($"snapshot {data.Snapshot.Id} {data.Snapshot.ContentHash}: sft {data.SftTrain.Count} train / {data.SftEval.Count} eval, pairs {data.PairTrain.Count} train / {data.PairEval.Count} eval");

            var arms = new[] { (DpoFromBaseFolder, "dpo"), (SftThenDpoFolder, "sft,dpo") };
            foreach (var (name, stages) in arms)
            {
                var runFolder = Path.Combine(folder, name);
                var config = settings with
                {
                    RunId = name,
                    OutputDirectory = runFolder,
                    Stages = TrainingRunConfig.ParseStages(stages),
                    Workspace = workspaceName,
                    SnapshotId = data.Snapshot.Id,
                    SnapshotHash = data.Snapshot.ContentHash,
                };
                Console.WriteLine($"{name}: {string.Join(" → ", config.Stages.Select(RunLog.StageName))} → {runFolder}");
                var exitCode = await RunConsole.RunAsync(runFolder, () => new TrainingPipeline().RunAsync(
                    config, data.SftTrain, data.SftEval, data.PairTrain, data.PairEval, new RunConsole.ConsoleProgress(config), ct));
                if (exitCode != ExitCodes.Success)
                    return exitCode;
            }

            var fromBase = AblationArmFigures.Read(Path.Combine(folder, DpoFromBaseFolder));
            var sftFirst = AblationArmFigures.Read(Path.Combine(folder, SftThenDpoFolder));
            var table = Table(fromBase, sftFirst);
            var verdict = Verdict(AblationVerdict.Judge(fromBase, sftFirst), fromBase, sftFirst);
            foreach (var row in table)
                Console.WriteLine($"{row.Label,-28} {row.FromBase,16} {row.SftFirst,16}");
            Console.WriteLine(verdict);
            var report = Path.Combine(folder, ReportFileName);
            File.WriteAllText(report, Html(table, verdict));
            Console.WriteLine($"report: {report}");
            return ExitCodes.Success;
        }));
        return command;
    }

    internal sealed record Row(string Label, string FromBase, string SftFirst);

    internal static IReadOnlyList<Row> Table(AblationArmFigures fromBase, AblationArmFigures sftFirst)
    {
        Row Figure(string label, Func<AblationArmFigures, double?> value, string format) =>
            new(label, Number(value(fromBase), format), Number(value(sftFirst), format));
        return
        [
            new("", "dpo from base", "sft → dpo"),
            Figure("mean Δlog p_w (nats)", a => a.FinalDeltaChosen, "+0.00;-0.00"),
            Figure("mean Δlog p_l (nats)", a => a.FinalDeltaRejected, "+0.00;-0.00"),
            Figure("eval rewards/accuracies", a => a.FinalAccuracy, "0.000"),
            Figure("eval rewards/margins", a => a.FinalMargin, "0.000"),
            Figure("eval sft loss before dpo", a => a.InitialSftLoss, "0.000"),
            Figure("eval sft loss, final model", a => a.FinalSftLoss, "0.000"),
        ];
    }

    /// <summary>The verdict in words, with the numbers behind it.</summary>
    internal static string Verdict(AblationVerdict verdict, AblationArmFigures fromBase, AblationArmFigures sftFirst)
    {
        string N(double? value) => Number(value, "0.000");
        var figures = $"eval SFT loss {N(sftFirst.FinalSftLoss)} after SFT → DPO against {N(fromBase.FinalSftLoss)} from DPO alone, reward accuracy {N(sftFirst.FinalAccuracy)} against {N(fromBase.FinalAccuracy)}";
        var sentence = verdict.Kind switch
        {
            AblationVerdictKind.PaidOff => $"SFT first paid off: {figures}.",
            AblationVerdictKind.LowerLossOnly => $"Mixed: SFT first writes the ideal answers better but ranks fewer eval pairs right: {figures}.",
            AblationVerdictKind.HigherAccuracyOnly => $"Mixed: SFT first ranks more eval pairs right but writes the ideal answers no better: {figures}.",
            AblationVerdictKind.DidNotPayOff => $"SFT first did not pay off on this data: {figures}.",
            _ => "No verdict yet: an arm has no DPO eval after its first step.",
        };
        if (verdict.Kind == AblationVerdictKind.Pending)
            return sentence;
        return sentence + $" DPO moved the chosen answers by {Number(sftFirst.FinalDeltaChosen, "+0.00;-0.00")} nats after SFT and by {Number(fromBase.FinalDeltaChosen, "+0.00;-0.00")} from the base model, the rejected ones by {Number(sftFirst.FinalDeltaRejected, "+0.00;-0.00")} and {Number(fromBase.FinalDeltaRejected, "+0.00;-0.00")}.";
    }

    private static string Html(IReadOnlyList<Row> table, string verdict)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Does SFT first pay off?</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:right}td:first-child{text-align:left}</style></head><body>")
            .Append("<h1>Does SFT first pay off?</h1><table><thead><tr>");
        foreach (var cell in new[] { table[0].Label, table[0].FromBase, table[0].SftFirst })
            html.Append("<th>").Append(E(cell)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Skip(1))
            html.Append("<tr><td>").Append(E(row.Label)).Append("</td><td>").Append(E(row.FromBase)).Append("</td><td>").Append(E(row.SftFirst)).Append("</td></tr>");
        html.Append("</tbody></table><p>").Append(E(verdict)).Append("</p><p>")
            .Append($"<a href=\"{DpoFromBaseFolder}/{RunFiles.ReportFileName}\">{DpoFromBaseFolder}</a> · <a href=\"{SftThenDpoFolder}/{RunFiles.ReportFileName}\">{SftThenDpoFolder}</a>")
            .Append("</p></body></html>");
        return html.ToString();
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
