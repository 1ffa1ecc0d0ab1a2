using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Tests.Trainers;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Objectives;

/// <summary>Where the objectives' gradients go and how often DPO scores its reference, measured on the real objectives.</summary>
public sealed class ObjectiveGradientTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>
{
    [Fact]
    public void SftForward_PromptPositions_ReceiveNoGradient()
    {
        using var inner = TrainerFixtures.Model(trained);
        using var probe = new HiddenProbe(inner);
        var samples = TrainerFixtures.SftSamples(2);
        var objective = new SftObjective(samples, null, trained.Tokenizer, TrainerFixtures.Format(trained));
        var labels = samples.Select(s => ChatEncoder.Encode(s.Messages, TrainerFixtures.Format(trained), trained.Tokenizer).Labels).ToList();

        var loss = objective.Forward(probe, [0, 1], stepWeight: 1, new MetricAccumulator()).Loss;
        loss.backward();

        // The final hidden state at t feeds only the prediction of token t + 1, so its gradient is zero exactly when
        // that token is not an assistant token (prompt, template or padding).
        using var perPosition = probe.Hidden!.grad!.abs().sum(2); // (B, T)
        var scored = 0;
        for (var row = 0; row < labels.Count; row++)
        {
            for (var t = 0; t < perPosition.shape[1]; t++)
            {
                var predictsAssistant = t + 1 < labels[row].Length && labels[row][t + 1] != ChatEncoder.IgnoreIndex;
                var gradient = perPosition[row, t].item<float>();
                Assert.True(predictsAssistant == (gradient != 0), $"row {row}, position {t}: gradient {gradient}, predicts assistant {predictsAssistant}");
                scored += predictsAssistant ? 1 : 0;
            }
        }
        Assert.True(scored > 0);
        Assert.True(labels.All(l => l[1] == ChatEncoder.IgnoreIndex), "the prompt comes first");
    }

    [Fact]
    public void Train_DpoWithEvals_ScoresTheReferenceOnceForTheStage()
    {
        using var model = TrainerFixtures.Model(trained);
        using var referenceModel = TrainerFixtures.Model(trained);
        referenceModel.eval();
        using var reference = new HiddenProbe(referenceModel);
        var objective = new DpoObjective(TrainerFixtures.Pairs(6), TrainerFixtures.Pairs(8).Skip(6).ToList(), trained.Tokenizer,
            TrainerFixtures.Format(trained), referenceModel: reference, referenceBatchSize: 4);

        var result = new Trainer().Train(model, objective, new TrainerOptions { BatchSize = 2, MaxSteps = 6, EvalEvery = 2, LearningRate = 1e-3 });

        Assert.Equal(6, result.Steps.Count);
        Assert.Equal(4, result.Evaluations.Count);
        // One pass over the 6 training pairs (2 batches of 4) and the 2 eval pairs (1 batch): 3 forwards, whatever the steps.
        Assert.Equal(3, reference.Forwards);
    }

    /// <summary>A model that delegates to another and keeps the last final hidden state as a leaf with its gradient.</summary>
    private sealed class HiddenProbe : CausalLM
    {
        private readonly CausalLM inner;

        public HiddenProbe(CausalLM inner) : base("probe", inner.Config)
        {
            this.inner = inner;
            RegisterComponents();
        }

        public Tensor? Hidden { get; private set; }

        public int Forwards { get; private set; }

        public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
        {
            Forwards++;
            using var hidden = inner.ForwardHidden(inputIds, attentionMask, cache);
            Hidden?.Dispose();
            Hidden = hidden.detach().requires_grad_(is_grad_enabled());
            // The caller disposes what it gets; the alias keeps the leaf (and its gradient) here.
            return Hidden.alias();
        }

        public override Tensor ApplyLmHead(Tensor hidden) => inner.ApplyLmHead(hidden);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                Hidden?.Dispose();
            base.Dispose(disposing);
        }
    }
}
