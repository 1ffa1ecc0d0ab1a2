using System.Globalization;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Cli.Tests;

/// <summary><c>annotatedpo ablation</c> in process on the fixture's tiny pretrained model and a small imported workspace.</summary>
[Collection(ModelCliCollection.Name)]
public sealed class AblationCommandTests(ModelCliFixture fixture) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("annotatedpo-ablation-").FullName;

    private string Db => Path.Combine(folder, "ablation.db");

    public void Dispose()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(folder, recursive: true);
    }

    private Task ImportAsync(bool withSft = true) => withSft
        ? PressWorkspace.ImportAsync(Db, PressWorkspace.PairsFile(folder), PressWorkspace.SftFile(folder))
        : PressWorkspace.ImportAsync(Db, PressWorkspace.PairsFile(folder));

    [Fact]
    public async Task Ablation_SmallWorkspace_TrainsBothArmsOnOneSnapshotAndPrintsTheirFigures()
    {
        await ImportAsync();
        var output = Path.Combine(folder, "ablation");

        var run = await ModelCliFixture.RunAsync("ablation", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--max-steps", "2", "--threads", "1", "--out", output);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var (fromBaseFolder, sftFirstFolder) = (Path.Combine(output, "dpo-from-base"), Path.Combine(output, "sft-then-dpo"));
        var (fromBase, sftFirst) = (RunStatus.Load(fromBaseFolder), RunStatus.Load(sftFirstFolder));
        Assert.Equal((RunState.Completed, RunState.Completed), (fromBase.State, sftFirst.State));
        Assert.Equal((fromBase.SnapshotId, fromBase.SnapshotHash), (sftFirst.SnapshotId, sftFirst.SnapshotHash));
        var (fromBaseConfig, sftFirstConfig) = (TrainingRunConfig.Load(Path.Combine(fromBaseFolder, "config.json")), TrainingRunConfig.Load(Path.Combine(sftFirstFolder, "config.json")));
        Assert.Equal([TrainingStage.Dpo], fromBaseConfig.Stages);
        Assert.Equal([TrainingStage.Sft, TrainingStage.Dpo], sftFirstConfig.Stages);
        Assert.Equal((fromBaseConfig with { RunId = "", OutputDirectory = "", Stages = [] }).ToJson(), (sftFirstConfig with { RunId = "", OutputDirectory = "", Stages = [] }).ToJson());
        Assert.False(Directory.Exists(Path.Combine(fromBaseFolder, "sft")));

        var (fromBaseFigures, sftFirstFigures) = (AblationArmFigures.Read(fromBaseFolder), AblationArmFigures.Read(sftFirstFolder));
        // Both arms score the same SFT eval examples: DPO from the base starts where SFT started, SFT → DPO where SFT ended.
        var sftStage = sftFirst.Stages["sft"];
        Assert.Equal(sftStage.InitialEval!["eval_loss"], fromBaseFigures.InitialSftLoss!.Value, 5);
        Assert.Equal(sftStage.FinalEval!["eval_loss"], sftFirstFigures.InitialSftLoss!.Value, 5);
        Assert.Equal([0, 1, 2], sftFirstFigures.MeanDeltaChosen.Select(v => v.Step));
        Assert.Equal(0, fromBaseFigures.MeanDeltaChosen[0].Value);
        Assert.Equal(fromBase.Stages["dpo"].FinalEval!["eval_rewards/accuracies"], fromBaseFigures.FinalAccuracy);

        string Row(string label, double? a, double? b, string format) =>
            $"{label,-28} {a!.Value.ToString(format, CultureInfo.InvariantCulture),16} {b!.Value.ToString(format, CultureInfo.InvariantCulture),16}";
        Assert.Contains(Row("mean Δlog p_w (nats)", fromBaseFigures.FinalDeltaChosen, sftFirstFigures.FinalDeltaChosen, "+0.00;-0.00"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains(Row("eval sft loss, final model", fromBaseFigures.FinalSftLoss, sftFirstFigures.FinalSftLoss, "0.000"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("dpo eval step 2/2 eval_loss", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("eval_sft_loss", run.Stdout, StringComparison.Ordinal);
        var verdict = AblationVerdict.Judge(fromBaseFigures, sftFirstFigures);
        var sentence = verdict.Kind switch
        {
            AblationVerdictKind.PaidOff => "SFT first paid off:",
            AblationVerdictKind.DidNotPayOff => "SFT first did not pay off on this data:",
            _ => "Mixed: SFT first",
        };
        Assert.Contains(sentence, run.Stdout, StringComparison.Ordinal);
        Assert.Contains(sentence, File.ReadAllText(Path.Combine(output, "ablation.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ablation_WorkspaceWithoutSftExamples_ExitsTwoSayingWhatIsMissing()
    {
        await ImportAsync(withSft: false);

        var run = await ModelCliFixture.RunAsync("ablation", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--max-steps", "1", "--out", Path.Combine(folder, "none"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs approved SFT examples and resolved pairs", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "none")));
    }
}
