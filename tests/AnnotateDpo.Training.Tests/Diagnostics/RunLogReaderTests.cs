using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Diagnostics;

public sealed class RunLogReaderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static EvaluationEvent Eval(int step, params PairLogProbs[] pairs) =>
        new(step, 4, new Dictionary<string, double> { ["eval_loss"] = 0.6 }, pairs);

    [Fact]
    public void ReadEvalPairs_WhatRunLogWrote_RoundTripsWithTokenIdsAtStepZeroOnly()
    {
        using (var log = new RunLog(temp.Path))
        {
            log.Write(TrainingStage.Dpo, Eval(0, new PairLogProbs(0, -10.5, -12.25, [5, 6, 7], [5, 9])), TimeSpan.Zero);
            log.Write(TrainingStage.Dpo, Eval(4, new PairLogProbs(0, -9.5, -20, [5, 6, 7], [5, 9])), TimeSpan.FromSeconds(2));
        }

        var passes = RunLogReader.ReadEvalPairs(temp.Path);

        Assert.Equal([0, 4], passes.Select(p => p.Step));
        Assert.All(passes, p => Assert.Equal(("dpo", 4), (p.Stage, p.TotalSteps)));
        var start = passes[0].Pairs.Single();
        Assert.Equal((0, -10.5, -12.25, 3, 2), (start.Index, start.Chosen, start.Rejected, start.ChosenTokens!.Value, start.RejectedTokens!.Value));
        Assert.Equal([5, 6, 7], start.ChosenIds!);
        Assert.Equal([5, 9], start.RejectedIds!);
        var end = passes[1].Pairs.Single();
        Assert.Equal((-9.5, -20.0, 3), (end.Chosen, end.Rejected, end.ChosenTokens!.Value));
        Assert.Null(end.ChosenIds);
    }

    [Fact]
    public void ReadMetrics_WhatRunLogWrote_KeepsNamesAndNaN()
    {
        using (var log = new RunLog(temp.Path))
        {
            log.Write(TrainingStage.Sft, new TrainingStepEvent(1, 3, new Dictionary<string, double> { ["loss"] = 2.5, ["grad_norm"] = double.NaN }), TimeSpan.FromSeconds(1));
            log.Write(TrainingStage.Dpo, Eval(0), TimeSpan.Zero);
        }

        var records = RunLogReader.ReadMetrics(temp.Path);

        Assert.Equal(2, records.Count);
        Assert.Equal(("sft", "train", 1, 3), (records[0].Stage, records[0].Type, records[0].Step, records[0].TotalSteps));
        Assert.Equal(2.5, records[0].Get("loss"));
        Assert.True(double.IsNaN(records[0].Get("grad_norm")!.Value));
        Assert.False(records[0].Metrics.ContainsKey("elapsed_seconds"));
        Assert.True(records[1].IsEval);
        Assert.Equal(0.6, records[1].Get("eval_loss"));
    }

    [Fact]
    public void ReadMetrics_LineStillBeingWritten_IsSkipped()
    {
        File.WriteAllText(Path.Combine(temp.Path, RunLog.MetricsFileName),
            "{\"stage\":\"dpo\",\"type\":\"train\",\"step\":1,\"total_steps\":2,\"loss\":0.7}\n{\"stage\":\"dpo\",\"ty");

        var records = RunLogReader.ReadMetrics(temp.Path);

        Assert.Equal(1, records.Single().Step);
    }

    [Fact]
    public void ReadEvalPairs_MissingField_NamesTheLineAndField()
    {
        File.WriteAllText(Path.Combine(temp.Path, RunLog.EvalPairsFileName),
            "{\"stage\":\"dpo\",\"step\":0,\"total_steps\":2,\"pairs\":[]}\n{\"stage\":\"dpo\",\"step\":2,\"total_steps\":2,\"pairs\":[{\"index\":0,\"chosen\":-1}]}\n");

        var error = Assert.Throws<InvalidDataException>(() => RunLogReader.ReadEvalPairs(temp.Path));

        Assert.Equal("eval_pairs.jsonl line 2: 'rejected' is missing.", error.Message);
    }

    [Fact]
    public void ReadMetrics_NoFile_IsEmpty() => Assert.Empty(RunLogReader.ReadMetrics(temp.Path));
}
