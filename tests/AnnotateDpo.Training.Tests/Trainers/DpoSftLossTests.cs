using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Trainers;

/// <summary>eval_sft_loss of a DPO eval: the SFT eval loss of the policy at that step, on a tiny random Llama.</summary>
public sealed class DpoSftLossTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>
{
    private static readonly TrainerOptions Options = new()
    {
        BatchSize = 4, LearningRate = 1e-2, MaxSteps = 4, WarmupSteps = 1, EvalEvery = 4,
    };

    private SftEvalLoss SftEval() => new(TrainerFixtures.SftSamples(3), trained.Tokenizer, TrainerFixtures.Format(trained));

    private DpoObjective Dpo(SftEvalLoss? sftEval) => new(
        TrainerFixtures.Pairs(4), TrainerFixtures.Pairs(2), trained.Tokenizer, TrainerFixtures.Format(trained), sftEval: sftEval);

    [Fact]
    public void Train_DpoWithSftEvalExamples_ReportsTheSftEvalLossOfThePolicyAtEachEval()
    {
        using var model = TrainerFixtures.Model(trained);
        var sft = new SftObjective(TrainerFixtures.SftSamples(1), TrainerFixtures.SftSamples(3), trained.Tokenizer, TrainerFixtures.Format(trained));
        var before = sft.Evaluate(model, 2, CancellationToken.None).Metrics.ToMetrics(MetricScope.Eval)["eval_loss"];

        var result = new Trainer().Train(model, Dpo(SftEval()), Options);

        var after = sft.Evaluate(model, 2, CancellationToken.None).Metrics.ToMetrics(MetricScope.Eval)["eval_loss"];
        Assert.Equal([0, 4], result.Evaluations.Select(e => e.Step));
        Assert.Equal(before, result.Evaluations[0].Metrics["eval_sft_loss"], 5);
        Assert.Equal(after, result.Evaluations[^1].Metrics["eval_sft_loss"], 5);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Train_DpoWithoutSftEvalExamples_ReportsNoSftLoss()
    {
        using var model = TrainerFixtures.Model(trained);
        var empty = new SftEvalLoss([], trained.Tokenizer, TrainerFixtures.Format(trained));

        var result = new Trainer().Train(model, Dpo(empty), Options with { MaxSteps = 1 });

        Assert.All(result.Evaluations, e => Assert.DoesNotContain("eval_sft_loss", e.Metrics.Keys));
    }
}
