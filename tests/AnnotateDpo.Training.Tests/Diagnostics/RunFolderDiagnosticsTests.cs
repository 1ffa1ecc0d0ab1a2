using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Tests.Trainers;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Diagnostics;

/// <summary>The diagnostics on a run folder the real pipeline wrote (SFT → DPO on a tiny random Llama).</summary>
public sealed class RunFolderDiagnosticsTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>, IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Compute_OnARealRun_FollowsEveryEvalPairFromTheReferenceWithTokenFigures()
    {
        var model = temp.File("base");
        TinyModelFactory.Write(model, TinyModelFactory.Config(ModelArchitecture.Llama, trained.Tokenizer.VocabSize), seed: 5,
            writeTokenizerFiles: target =>
            {
                foreach (var file in Directory.GetFiles(trained.Directory))
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            });
        var stage = new StageSettings { MaxSteps = 4, LearningRate = 3e-3, BatchSize = 4, GradientAccumulationSteps = 1, EvalSteps = 2 };
        var config = new TrainingRunConfig
        {
            RunId = "dynamics",
            ModelDirectory = model,
            OutputDirectory = temp.File("dynamics"),
            Sft = stage,
            Dpo = stage with { LearningRate = 1e-2 },
            Threads = 1,
        };
        var pairs = TrainerFixtures.Pairs(8);
        new TrainingPipeline().Run(config, TrainerFixtures.SftSamples(6), [], pairs.Take(5).ToList(), pairs.Skip(5).ToList());

        var report = PairDiagnostics.Compute(RunLogReader.ReadEvalPairs(config.OutputDirectory), config.Loss.Beta);
        var monitor = new RunAlertMonitor(config);
        foreach (var record in RunLogReader.ReadMetrics(config.OutputDirectory))
            monitor.Observe(record);

        Assert.Equal(3, report.Summary.Count);
        Assert.Equal(4, report.Summary.LastStep);
        using var tokenizer = HfTokenizer.Load(model);
        var format = ChatFormats.For(tokenizer);
        foreach (var pair in report.Pairs)
        {
            Assert.Equal([0, 2, 4], pair.Trajectory.Select(p => p.Step));
            var sample = pairs[5 + pair.Index];
            var chosen = ChatEncoder.EncodePromptResponse(sample.Prompt, sample.Chosen, format, tokenizer).ResponseIds;
            var rejected = ChatEncoder.EncodePromptResponse(sample.Prompt, sample.Rejected, format, tokenizer).ResponseIds;
            Assert.Equal(chosen.Length - rejected.Length, pair.LengthDifference);
            Assert.Equal(TokenEditDistance.Normalized(chosen, rejected), pair.EditDistance);
            Assert.Equal(pair.Trajectory[^1].Chosen - pair.Trajectory[0].Chosen, pair.DeltaChosen, 9);
            Assert.InRange(pair.Weight, 0, 1);
        }
        // A learning rate this high moves the pairs: the mean margin the loss sees has grown.
        Assert.True(report.Pairs.Average(p => p.Margin) > 0, $"mean margin {report.Pairs.Average(p => p.Margin)}");
        Assert.DoesNotContain(monitor.Alerts, a => a.Kind == RunAlertKind.NotANumber);
    }
}
