using System.Text.Json;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Cli.Tests;

/// <summary><c>annotatedpo train</c> in process on the fixture's tiny pretrained model and a small imported workspace.</summary>
[Collection(ModelCliCollection.Name)]
public sealed class TrainCommandTests(ModelCliFixture fixture) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("annotatedpo-train-").FullName;

    private string Db => Path.Combine(folder, "train.db");

    public void Dispose()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(folder, recursive: true);
    }

    private string SftFile() => PressWorkspace.SftFile(folder);

    private string PairsFile() => PressWorkspace.PairsFile(folder);

    private Task ImportAsync(params string[] files) => PressWorkspace.ImportAsync(Db, files);

    [Fact]
    public async Task Train_SmallWorkspace_PrintsProgressAndWritesACompletedRun()
    {
        await ImportAsync(SftFile(), PairsFile());
        var runFolder = Path.Combine(folder, "runs", "first");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--max-steps", "2", "--threads", "1", "--out", runFolder);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Matches(@"sft step 1/2 loss \d+\.\d+ lr [\d.]+e-\d+ tok/s \d+", run.Stdout);
        Assert.Matches(@"dpo step 2/2 loss \d+\.\d+ .* margin -?\d+\.\d+ acc \d\.\d\d", run.Stdout);
        Assert.Contains("sft eval step 0/2 eval_loss", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"sft sample step 0 #0 \(\d+ tokens(, cut at the limit)?\): ", run.Stdout);
        Assert.Matches(@"dpo sample step 2 #0 ", run.Stdout);
        // The readiness gate, from the SFT stage's count (six distinct examples), before DPO's first step.
        Assert.Contains("alert: dpo step 0: only 6 approved SFT examples (50 or more recommended)", run.Stdout, StringComparison.Ordinal);
        var status = RunStatus.Load(runFolder);
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal("press", status.Workspace);
        Assert.Matches("^[0-9a-f]{64}$", status.SnapshotHash!);
        Assert.Contains($"snapshot {status.SnapshotId} {status.SnapshotHash}", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("first", TrainingRunConfig.Load(Path.Combine(runFolder, "config.json")).RunId);
        foreach (var file in new[] { "metrics.jsonl", "eval_pairs.jsonl", "sft/model.safetensors", "dpo/model.safetensors", "dpo/tokenizer.json" })
            Assert.True(File.Exists(Path.Combine(runFolder, file)), $"{file} is missing");
    }

    [Fact]
    public async Task Train_ExistingSnapshotWithLora_UsesItAndSavesAdapters()
    {
        await ImportAsync(SftFile(), PairsFile());
        var snapshot = await new SnapshotService(new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)), TimeProvider.System)
            .CreateAsync(new SnapshotRequest("press"));
        var id = snapshot.Snapshot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var runFolder = Path.Combine(folder, "lora");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--snapshot", id, "--model", fixture.ModelDirectory,
            "--preset", "demo", "--lora", "--stages", "sft", "--max-steps", "1", "--threads", "1", "--out", runFolder);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = RunStatus.Load(runFolder);
        Assert.Equal(snapshot.Snapshot.Id, status.SnapshotId);
        Assert.Equal(snapshot.Snapshot.ContentHash, status.SnapshotHash);
        Assert.Equal(["sft"], status.Stages.Keys);
        Assert.True(File.Exists(Path.Combine(runFolder, "sft", "adapter", "adapter_config.json")));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "config.json")));
        Assert.Equal(16, config.RootElement.GetProperty("lora").GetProperty("r").GetInt32());
    }

    [Fact]
    public async Task Train_DpoWithoutSft_AlertsWithTheNextRunsCommandAndThatCommandAppliesTheRemedy()
    {
        await ImportAsync(SftFile(), PairsFile());
        var first = Path.Combine(folder, "dpo-only");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--stages", "dpo", "--max-steps", "1", "--threads", "1", "--out", first);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var config = Path.Combine(first, "config.json");
        Assert.Contains($"alert: dpo step 0: DPO runs without SFT first; next run: stages = sft,dpo (annotatedpo train --config {config} --set stages=sft,dpo)",
            run.Stdout, StringComparison.Ordinal);

        var next = Path.Combine(folder, "next");
        var remedied = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--config", config, "--set", "stages=sft,dpo", "--set", "preference_loss.rpo_alpha=0.5", "--max-steps", "1", "--threads", "1", "--out", next);

        Assert.True(remedied.ExitCode == 0, remedied.Stderr + remedied.Stdout);
        var nextConfig = TrainingRunConfig.Load(Path.Combine(next, "config.json"));
        Assert.Equal([TrainingStage.Sft, TrainingStage.Dpo], nextConfig.Stages);
        Assert.Equal(0.5, nextConfig.Loss.RpoAlpha);
        Assert.Equal(RunState.Completed, RunStatus.Load(next).State);
    }

    [Fact]
    public async Task RunsDiagnose_FinishedRun_WritesTheTrainSplitAndSaysWhatItFound()
    {
        await ImportAsync(SftFile(), PairsFile());
        var runs = Path.Combine(folder, "runs");
        var train = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--max-steps", "1", "--threads", "1", "--runs", runs, "--run-id", "r1");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);

        var diagnose = await ModelCliFixture.RunAsync("runs", "diagnose", "r1", "--runs", runs, "--db", Db);

        Assert.True(diagnose.ExitCode == 0, diagnose.Stderr + diagnose.Stdout);
        Assert.Matches(@"train split of run r1: \d+ pairs, mean Δlog p_w -?\d+\.\d\d, mean Δlog p_l -?\d+\.\d\d, \d+ displaced", diagnose.Stdout);
        var passes = Training.Diagnostics.RunLogReader.ReadTrainPairs(Path.Combine(runs, "r1"));
        Assert.Equal([0, 1], passes.Select(p => p.Step));
        Assert.All(passes[0].Pairs, p => Assert.StartsWith("p", p.Key));
    }

    [Fact]
    public async Task RunsDiagnose_RunWithoutDpo_ExitsTwoSayingWhy()
    {
        await ImportAsync(SftFile(), PairsFile());
        var runs = Path.Combine(folder, "runs");
        var train = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--stages", "sft", "--max-steps", "1", "--threads", "1", "--runs", runs, "--run-id", "sft-only");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);

        var diagnose = await ModelCliFixture.RunAsync("runs", "diagnose", "sft-only", "--runs", runs, "--db", Db);

        Assert.Equal(2, diagnose.ExitCode);
        Assert.Contains("no completed DPO stage", diagnose.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preference_loss.nope=1", "Unknown setting 'preference_loss.nope'")]
    [InlineData("preference_loss.beta", "--set 'preference_loss.beta' must read SETTING=VALUE")]
    [InlineData("preference_loss.beta=high", "The value 'high' of preference_loss.beta is not a number")]
    public async Task Train_BadSet_ExitsTwoNamingTheSetting(string change, string message)
    {
        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory, "--set", change);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task Train_UnknownLoss_ExitsTwoListingTheValidNames()
    {
        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory, "--loss", "sigmod");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown preference loss 'sigmod'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("sigmoid, ipo", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownWorkspace_ExitsTwoNamingIt()
    {
        await ImportAsync(SftFile());

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "nope", "--model", fixture.ModelDirectory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_SnapshotWithoutApprovedSft_ExitsTwoAndWritesNoRun()
    {
        await ImportAsync(PairsFile());
        var runFolder = Path.Combine(folder, "empty");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory, "--out", runFolder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no approved SFT examples", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runFolder));
    }

    [Fact]
    public async Task Train_LoraAndFull_ExitsTwo()
    {
        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory, "--lora", "--full");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--lora and --full", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_FolderThatIsNotAModel_ExitsTwoSayingWhatToPointAt()
    {
        await ImportAsync(SftFile(), PairsFile());
        var notAModel = Directory.CreateDirectory(Path.Combine(folder, "not-a-model")).FullName;
        var runFolder = Path.Combine(folder, "runs", "bad-model");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", notAModel, "--preset", "demo", "--out", runFolder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{notAModel} is not a model folder: it has no config.json", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("seed-data/models/demo-tiny", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runFolder));
    }

    [Fact]
    public async Task Train_RunIdUnderRuns_WritesThereAndRunsShowReadsIt()
    {
        await ImportAsync(SftFile(), PairsFile());
        var runs = Path.Combine(folder, "my-runs");

        var run = await ModelCliFixture.RunAsync("train", "--db", Db, "--workspace", "press", "--model", fixture.ModelDirectory,
            "--preset", "demo", "--stages", "sft", "--max-steps", "2", "--threads", "1", "--runs", runs, "--run-id", "chosen-id");
        var show = await ModelCliFixture.RunAsync("runs", "show", "chosen-id", "--runs", runs);
        var cancel = await ModelCliFixture.RunAsync("runs", "cancel", "chosen-id", "--runs", runs);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal("chosen-id", RunStatus.Load(Path.Combine(runs, "chosen-id")).RunId);
        Assert.Contains("\"status\": \"completed\"", show.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runs, "chosen-id", "report.html")));
        Assert.Equal(2, cancel.ExitCode);
        Assert.Contains("not running", cancel.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchTrain_StageSft_ExitsTwo()
    {
        var run = await ModelCliFixture.RunAsync("bench", "train", "--model", fixture.ModelDirectory, "--stage", "sft");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("only dpo", run.Stderr, StringComparison.Ordinal);
    }
}
