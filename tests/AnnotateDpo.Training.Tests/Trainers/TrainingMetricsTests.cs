using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Trainers;

public sealed class TrainingMetricsTests
{
    [Fact]
    public void Record_MicroBatchesOfDifferentSize_GivesWeightedMean()
    {
        var metrics = new MetricAccumulator();

        metrics.Record(TrainingMetrics.RewardsChosen, 1.0, weight: 3);
        metrics.Record(TrainingMetrics.RewardsChosen, 5.0, weight: 1);

        Assert.Equal(2.0, metrics.ToMetrics(MetricScope.Train)[TrainingMetrics.RewardsChosen], 12);
    }

    [Fact]
    public void ToMetrics_EvalScope_PrefixesEveryName()
    {
        var metrics = new MetricAccumulator();
        metrics.Record(TrainingMetrics.Loss, 0.5);
        metrics.Record(TrainingMetrics.LogpsChosen, -3);

        var eval = metrics.ToMetrics(MetricScope.Eval);

        Assert.Equal(["eval_loss", "eval_logps/chosen"], eval.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(0.5, eval["eval_loss"]);
    }

    [Fact]
    public void Names_AreTrlNames()
    {
        string[] names =
        [
            TrainingMetrics.Loss, TrainingMetrics.GradNorm, TrainingMetrics.LearningRate, TrainingMetrics.Epoch,
            TrainingMetrics.NumTokens, TrainingMetrics.RewardsChosen, TrainingMetrics.RewardsRejected,
            TrainingMetrics.RewardsMargins, TrainingMetrics.RewardsAccuracies, TrainingMetrics.LogpsChosen,
            TrainingMetrics.LogpsRejected, TrainingMetrics.LogitsChosen, TrainingMetrics.LogitsRejected,
            TrainingMetrics.TokensPerSecond, TrainingMetrics.PeakMemoryMb,
        ];

        Assert.Equal(
            [
                "loss", "grad_norm", "learning_rate", "epoch", "num_tokens", "rewards/chosen", "rewards/rejected",
                "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected", "logits/chosen",
                "logits/rejected", "tokens_per_second", "peak_memory_mb",
            ],
            names);
    }
}
