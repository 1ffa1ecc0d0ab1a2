using AnnotateDpo.Core.Training;
using AnnotateDpo.Web.Features.Training;
using AnnotateDpo.Web.Hosting;

namespace AnnotateDpo.Web.Tests.Features.Training;

/// <summary>Reading the trainer's files and command line, without a trainer.</summary>
public sealed class RunFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-runfiles-").FullName;

    private string Metrics => Path.Combine(_folder, "metrics.jsonl");

    [Fact]
    public void Poll_LineStillBeingWritten_IsReadOnlyOnceFinished()
    {
        File.WriteAllText(Metrics, """{"stage":"sft","type":"train","step":1,"total_steps":4,"elapsed_seconds":2.5,"loss":4.2}""" + "\n" + """{"stage":"sft","ty""");
        var tail = new MetricsTail(_folder);

        var first = tail.Poll();
        File.AppendAllText(Metrics, """pe":"eval","step":1,"total_steps":4,"elapsed_seconds":3,"eval_loss":"NaN"}""" + "\n");
        var second = tail.Poll();
        var third = tail.Poll();

        Assert.True(first);
        Assert.True(second);
        Assert.False(third);
        Assert.Equal(2, tail.Points.Count);
        Assert.Equal((false, 1, 4, 4.2), (tail.Points[0].IsEval, tail.Points[0].Step, tail.Points[0].TotalSteps, tail.Points[0].Get("loss")));
        Assert.True(tail.Points[1].IsEval);
        Assert.Null(tail.Points[1].Get("eval_loss"));
    }

    [Fact]
    public void Poll_FileShortenedByAResume_IsReadAgainFromTheStart()
    {
        File.WriteAllLines(Metrics, [Line(1), Line(2), Line(3)]);
        var tail = new MetricsTail(_folder);
        tail.Poll();

        File.WriteAllLines(Metrics, [Line(1)]);
        tail.Poll();

        Assert.Equal([1], tail.Points.Select(p => p.Step));
    }

    [Fact]
    public void ReadStatus_RunJson_ReadsStateStagesWarningsAndCheckpoint()
    {
        File.WriteAllText(Path.Combine(_folder, "run.json"), """
            {"run_id":"r1","status":"cancelled","device":"cpu (1 thread)","stages":{"sft":{"state":"completed","steps":4,"total_steps":4,"model":"sft"},
             "dpo":{"state":"cancelled","steps":2,"total_steps":9}},"warnings":["no eval split"],"last_checkpoint":"checkpoints/dpo-step-000002"}
            """);

        var status = RunFolderReader.ReadStatus(_folder)!;

        Assert.Equal(("cancelled", "cpu (1 thread)", "checkpoints/dpo-step-000002"), (status.State, status.Device, status.LastCheckpoint));
        Assert.Equal(new StageStatus("dpo", "cancelled", 2, 9, null), status.Stage("dpo"));
        Assert.Equal("sft", status.Stage("sft")!.ModelFolder);
        Assert.Equal(["no eval split"], status.Warnings);
    }

    [Fact]
    public void ReadStatus_NoRunJsonYet_IsNull()
    {
        Assert.Null(RunFolderReader.ReadStatus(_folder));
    }

    [Fact]
    public void RunProgress_SecondStageHalfDone_IsThreeQuartersWithTheStagesRemainingTime()
    {
        MetricPoint[] metrics =
        [
            new("sft", false, 4, 4, 8, new Dictionary<string, double>()),
            new("dpo", true, 0, 10, 1, new Dictionary<string, double>()),
            new("dpo", false, 5, 10, 20, new Dictionary<string, double> { ["tokens_per_second"] = 1234 }),
        ];

        var progress = RunProgress.Of(["sft", "dpo"], metrics, status: null);

        Assert.Equal(("dpo", 5, 10, 0.75, TimeSpan.FromSeconds(20), 1234.0),
            (progress.Stage, progress.Step, progress.TotalSteps, progress.Fraction, progress.StageRemaining, progress.TokensPerSecond));
    }

    [Fact]
    public void RunProgress_NoStepYet_IsZeroWithoutEstimate()
    {
        var progress = RunProgress.Of(["sft"], [], status: null);

        Assert.Equal(("sft", 0.0, (TimeSpan?)null), (progress.Stage, progress.Fraction, progress.StageRemaining));
    }

    [Theory]
    [InlineData(0, TrainingRunState.Succeeded)]
    [InlineData(130, TrainingRunState.Cancelled)]
    [InlineData(2, TrainingRunState.Failed)]
    [InlineData(137, TrainingRunState.Failed)]
    public void Outcome_ExitCode_MapsToTheRowsState(int exitCode, TrainingRunState expected)
    {
        var (outcome, _) = TrainingWorker.Outcome(exitCode, status: null, ["error: Snapshot 3 has no resolved preference pairs"]);

        Assert.Equal(expected, outcome);
    }

    [Fact]
    public void Outcome_InvalidInput_KeepsTheTrainersMessage()
    {
        var (_, error) = TrainingWorker.Outcome(2, status: null, ["warning: x", "error: --lr must be positive"]);

        Assert.Equal("--lr must be positive", error);
    }

    [Fact]
    public void Outcome_FailedAfterTheFolderWasWritten_TakesRunJsonsError()
    {
        var status = new RunFileStatus("failed", null, [], "The loss became NaN at sft step 3; lower the learning rate.", [], null, null);

        var (outcome, error) = TrainingWorker.Outcome(3, status, ["error: NaN"]);

        Assert.Equal((TrainingRunState.Failed, "The loss became NaN at sft step 3; lower the learning rate."), (outcome, error));
    }

    [Fact]
    public void ToTrainArguments_LoraPresetWithOverrides_NamesEveryGivenOption()
    {
        var settings = new TrainingSettings
        {
            Preset = TrainingPreset.Lora, BaseModel = _folder, Sft = false, LearningRate = 5e-6, Beta = 0.2, LossType = "ipo", MaxSteps = 3,
        };

        var arguments = settings.ToTrainArguments();

        Assert.Equal(["--model", _folder, "--preset", "default", "--lora", "--stages", "dpo", "--max-steps", "3", "--lr", "5E-06", "--beta", "0.2", "--loss", "ipo"], arguments);
    }

    [Fact]
    public void ToTrainArguments_FullPreset_IsTheDefaultPresetWithoutLora()
    {
        var arguments = new TrainingSettings { Preset = TrainingPreset.Full, BaseModel = _folder }.ToTrainArguments();

        Assert.Equal(["--model", _folder, "--preset", "default", "--full", "--stages", "sft,dpo"], arguments);
    }

    [Theory]
    [InlineData("loss")]
    [InlineData("epochs")]
    [InlineData("model")]
    public void Validate_BadSetting_NamesIt(string bad)
    {
        var settings = new TrainingSettings { BaseModel = _folder };
        settings = bad switch
        {
            "loss" => settings with { LossType = "dpo" },
            "epochs" => settings with { Epochs = 0 },
            _ => settings with { BaseModel = Path.Combine(_folder, "missing") },
        };

        var error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains(bad == "loss" ? "valid loss types are: sigmoid" : bad == "epochs" ? "Epochs" : "base model folder", error.Message);
    }

    [Fact]
    public void SettingsJson_RoundTrips()
    {
        var settings = new TrainingSettings { Preset = TrainingPreset.Full, BaseModel = _folder, Epochs = 1.5, Seed = 7 };

        Assert.Equal(settings, TrainingSettings.FromJson(settings.ToJson()));
    }

    [Fact]
    public void TrainerCommandLine_DefaultOptions_StartsTheCliUnderNiceOnTheAppsDatabase()
    {
        var options = new TrainingOptions();
        var cli = new CliLauncher(new CliOptions { Path = Path.Combine(_folder, "annotatedpo.dll"), Dotnet = "dotnet" });
        var run = new TrainingRun { Preset = "demo", SettingsJson = "{}", RequestedBy = "mika", SnapshotId = 4, RunKey = "r4", RunFolder = Path.Combine(_folder, "runs", "r4") };

        var start = new TrainerCommandLine(options, cli, AnnotateDpo.Core.Storage.DatabaseTarget.Parse(Path.Combine(_folder, "app.db")))
            .Train(run, "press", new TrainingSettings { BaseModel = _folder });
        var resume = new TrainerCommandLine(options, cli, AnnotateDpo.Core.Storage.DatabaseTarget.Parse(Path.Combine(_folder, "app.db"))).Resume(run);

        Assert.Equal("nice", start.FileName);
        Assert.Equal(["-n", "10", "dotnet", cli.CliPath, "train", "--db", Path.Combine(_folder, "app.db"), "--workspace", "press", "--snapshot", "4"], start.ArgumentList.Take(11));
        Assert.Equal(["--out", run.RunFolder], start.ArgumentList.TakeLast(2));
        Assert.Equal(["runs", "resume", "r4", "--runs", Path.Combine(_folder, "runs")], resume.ArgumentList.Skip(4).Take(5));
    }

    private static string Line(int step) => $$"""{"stage":"sft","type":"train","step":{{step}},"total_steps":3,"elapsed_seconds":1,"loss":1}""";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
