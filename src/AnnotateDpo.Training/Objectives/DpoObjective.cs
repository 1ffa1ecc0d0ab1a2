using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Objectives;

/// <summary>
/// Direct preference optimisation and its variants (<see cref="PreferenceLoss"/>). Each micro-batch runs chosen and
/// rejected as one concatenated padded batch (2B rows: B chosen, then B rejected) through the policy, as TRL's
/// concatenated_forward does. Reference log-probabilities are scored once, before the first step: by
/// <c>referenceModel</c> when given, else by the policy with its LoRA adapter switched off, else by the policy as it
/// starts (equal to a frozen copy of it).
/// </summary>
public sealed class DpoObjective : ITrainingObjective
{
    private readonly EncodedPair[] train;
    private readonly EncodedPair[] eval;
    private readonly PreferenceLossOptions loss;
    private readonly LoraAdapter? adapter;
    private readonly ICausalLM? referenceModel;
    private readonly int referenceBatchSize;
    private readonly long padId;
    private readonly SequenceOverflow overflow;
    private readonly SftEvalLoss? sftEval;

    /// <param name="loss">The preference loss; default: sigmoid (DPO) with TRL's β = 0.1.</param>
    /// <param name="adapter">The policy's LoRA adapter: switched off, the policy is its own reference.</param>
    /// <param name="referenceModel">A separate reference, in eval mode on the policy's device; default: none.</param>
    /// <param name="referenceBatchSize">Pairs per reference forward pass. Default: 8.</param>
    /// <param name="overflow">What to do with a pair longer than the model's context. Default: reject.</param>
    /// <param name="sftEval">SFT eval examples whose NLL per token each eval also reports (<c>eval_sft_loss</c>); default: none.</param>
    public DpoObjective(
        IReadOnlyList<PreferenceSample> train,
        IReadOnlyList<PreferenceSample>? eval,
        HfTokenizer tokenizer,
        ChatFormat format,
        PreferenceLossOptions? loss = null,
        LoraAdapter? adapter = null,
        ICausalLM? referenceModel = null,
        int referenceBatchSize = 8,
        SequenceOverflow overflow = SequenceOverflow.Reject,
        SftEvalLoss? sftEval = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceBatchSize);
        if (train.Count == 0)
            throw new ArgumentException("There are no preference pairs to train on.", nameof(train));
        this.loss = loss ?? new PreferenceLossOptions();
        this.loss.Validate();
        this.train = Encode(train, "training", tokenizer, format);
        this.eval = Encode(eval ?? [], "eval", tokenizer, format);
        this.adapter = adapter;
        this.referenceModel = referenceModel;
        this.referenceBatchSize = referenceBatchSize;
        padId = tokenizer.PadId ?? tokenizer.EosId ?? 0;
        this.overflow = overflow;
        this.sftEval = sftEval is { Count: > 0 } ? sftEval : null;
    }

    public int TrainCount => train.Length;

    public int EvalCount => eval.Length;

    public int FitToContext(int maxPositions) =>
        Fit(train, "training", maxPositions) + Fit(eval, "eval", maxPositions) + (sftEval?.FitToContext(maxPositions) ?? 0);

    public void Prepare(CausalLM model, CancellationToken cancellationToken)
    {
        FitToContext(model.Config.MaxPositions);
        if (!loss.NeedsReference)
            return;

        var wasTraining = model.training;
        model.eval();
        try
        {
            using (no_grad())
            using (referenceModel is null ? adapter?.Disable() : null)
            {
                var reference = referenceModel ?? model;
                foreach (var pairs in new[] { train, eval })
                {
                    foreach (var chunk in pairs.Chunk(referenceBatchSize))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        using var scores = Score(reference, chunk, DeviceOf(model));
                        var sums = scores.Sum.cpu().data<float>().ToArray(); // (2B): chosen, then rejected
                        for (var i = 0; i < chunk.Length; i++)
                            (chunk[i].ReferenceChosen, chunk[i].ReferenceRejected) = (sums[i], sums[chunk.Length + i]);
                    }
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public long LossWeight(int index) => 1;

    public MicroBatchLoss Forward(CausalLM model, IReadOnlyList<int> indices, double stepWeight, MetricAccumulator metrics)
    {
        var pairs = indices.Select(i => train[i]).ToArray();
        var (result, _) = Loss(model, pairs, metrics);
        using (result)
            return new MicroBatchLoss(result.Loss * (pairs.Length / stepWeight), pairs.Sum(p => p.Tokens));
    }

    /// <summary>
    /// Each eval pair's log-probabilities under <paramref name="model"/> as it is, with no loss and no reference:
    /// where another model than the reference (the base model before SFT) puts the pairs.
    /// </summary>
    public IReadOnlyList<PairLogProbs> ScoreEval(CausalLM model, int batchSize, CancellationToken cancellationToken)
    {
        FitToContext(model.Config.MaxPositions);
        var wasTraining = model.training;
        model.eval();
        var perPair = new List<PairLogProbs>(eval.Length);
        try
        {
            using (no_grad())
            {
                foreach (var chunk in eval.Chunk(batchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    using var scores = Score(model, chunk, DeviceOf(model));
                    var sums = scores.Sum.cpu().data<float>().ToArray();
                    for (var i = 0; i < chunk.Length; i++)
                        perPair.Add(new PairLogProbs(perPair.Count, sums[i], sums[chunk.Length + i], chunk[i].Chosen, chunk[i].Rejected));
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return perPair;
    }

    /// <summary>
    /// The train-time metrics and loss over the eval pairs, and each pair's policy log-probabilities; with SFT eval
    /// examples also their NLL per token under the policy, to show what DPO did to the ideal answers.
    /// </summary>
    public EvalOutcome Evaluate(CausalLM model, int batchSize, CancellationToken cancellationToken)
    {
        var metrics = new MetricAccumulator();
        var perPair = new List<PairLogProbs>(eval.Length);
        using (no_grad())
        {
            foreach (var chunk in eval.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (result, logps) = Loss(model, chunk, metrics);
                metrics.Record(TrainingMetrics.Loss, result.Loss.item<float>(), chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                    perPair.Add(new PairLogProbs(perPair.Count, logps[i], logps[chunk.Length + i], chunk[i].Chosen, chunk[i].Rejected));
            }
        }
        if (sftEval is not null)
            metrics.Record(TrainingMetrics.SftLoss, sftEval.Compute(model, batchSize, cancellationToken));
        return new EvalOutcome(metrics, perPair);
    }

    /// <returns>The loss of <paramref name="pairs"/> (mean over them) and the policy's summed log-probs (2B).</returns>
    private (PreferenceLossResult Result, float[] LogProbs) Loss(CausalLM model, EncodedPair[] pairs, MetricAccumulator metrics)
    {
        var count = pairs.Length;
        var device = DeviceOf(model);
        using var scores = Score(model, pairs, device);
        using var chosen = scores.Sum.narrow(0, 0, count); // (B)
        using var rejected = scores.Sum.narrow(0, count, count); // (B)
        using var chosenTokens = scores.TokenCount.narrow(0, 0, count);
        using var rejectedTokens = scores.TokenCount.narrow(0, count, count);
        using var referenceChosen = tensor(pairs.Select(p => p.ReferenceChosen).ToArray(), ScalarType.Float32, device);
        using var referenceRejected = tensor(pairs.Select(p => p.ReferenceRejected).ToArray(), ScalarType.Float32, device);

        var result = PreferenceLoss.Compute(
            new PreferenceLogProbs(chosen, rejected, referenceChosen, referenceRejected, chosenTokens, rejectedTokens), loss);

        var logps = scores.Sum.detach().cpu().data<float>().ToArray();
        var chosenRewards = result.ChosenRewards.cpu().data<float>().ToArray();
        var rejectedRewards = result.RejectedRewards.cpu().data<float>().ToArray();
        var logitSums = scores.LogitSum.cpu().data<float>().ToArray();
        var tokens = scores.TokenCount.cpu().data<long>().ToArray();
        metrics.Record(TrainingMetrics.RewardsChosen, chosenRewards.Average(), count);
        metrics.Record(TrainingMetrics.RewardsRejected, rejectedRewards.Average(), count);
        metrics.Record(TrainingMetrics.RewardsMargins, chosenRewards.Zip(rejectedRewards, (c, r) => (double)c - r).Average(), count);
        metrics.Record(TrainingMetrics.RewardsAccuracies, chosenRewards.Zip(rejectedRewards, (c, r) => c > r ? 1.0 : 0.0).Average(), count);
        metrics.Record(TrainingMetrics.LogpsChosen, logps.Take(count).Average(), count);
        metrics.Record(TrainingMetrics.LogpsRejected, logps.Skip(count).Average(), count);
        // TRL's logits metrics: the mean logit over the vocabulary and all response tokens of the batch.
        var (chosenCount, rejectedCount) = (tokens.Take(count).Sum(), tokens.Skip(count).Sum());
        metrics.Record(TrainingMetrics.LogitsChosen, logitSums.Take(count).Sum() / Math.Max(chosenCount, 1), chosenCount);
        metrics.Record(TrainingMetrics.LogitsRejected, logitSums.Skip(count).Sum() / Math.Max(rejectedCount, 1), rejectedCount);
        return (result, logps);
    }

    /// <summary>log π of each pair's chosen then rejected response (2B rows).</summary>
    private SequenceLogProbs Score(ICausalLM scorer, EncodedPair[] pairs, Device device)
    {
        var sequences = new List<IReadOnlyList<long>>(2 * pairs.Length);
        var labels = new List<IReadOnlyList<long>>(2 * pairs.Length);
        foreach (var useChosen in new[] { true, false })
        {
            foreach (var pair in pairs)
            {
                var response = useChosen ? pair.Chosen : pair.Rejected;
                sequences.Add([.. pair.Prompt.Select(id => (long)id), .. response.Select(id => (long)id)]);
                labels.Add([.. Enumerable.Repeat(TokenLogProbs.IgnoreIndex, pair.Prompt.Length), .. response.Select(id => (long)id)]);
            }
        }
        using var batch = PaddedBatch.Create(sequences, padId, PaddingSide.Right, labels, device);
        return TokenLogProbs.Compute(scorer, batch);
    }

    private static Device DeviceOf(CausalLM model) => model.parameters().First().device;

    private static EncodedPair[] Encode(IReadOnlyList<PreferenceSample> samples, string set, HfTokenizer tokenizer, ChatFormat format)
    {
        var encoded = new EncodedPair[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            try
            {
                var chosen = ChatEncoder.EncodePromptResponse(samples[i].Prompt, samples[i].Chosen, format, tokenizer);
                var rejected = ChatEncoder.EncodePromptResponse(samples[i].Prompt, samples[i].Rejected, format, tokenizer);
                encoded[i] = new EncodedPair(chosen.PromptIds, chosen.ResponseIds, rejected.ResponseIds);
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException($"Preference {set} pair {i}: {error.Message}", nameof(samples), error);
            }
        }
        return encoded;
    }

    /// <summary>
    /// Truncation keeps the end of the prompt (the question nearest the answer) and the start of each answer: the
    /// prompt is cut from the left to at most half the context when the answers leave it less, then the answers from
    /// the right to fit what is left.
    /// </summary>
    private int Fit(EncodedPair[] pairs, string set, int maxPositions)
    {
        var truncated = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var length = pair.Prompt.Length + Math.Max(pair.Chosen.Length, pair.Rejected.Length);
            if (length <= maxPositions)
                continue;
            if (overflow == SequenceOverflow.Reject)
                throw new ArgumentException(
                    $"Preference {set} pair {i} has {length} tokens (prompt and the longer answer); the model takes at most {maxPositions}. " +
                    "Shorten the pair, or set sequence_overflow to truncate.");
            var promptLength = Math.Min(pair.Prompt.Length, Math.Max(maxPositions / 2, maxPositions - Math.Max(pair.Chosen.Length, pair.Rejected.Length)));
            var answerLength = maxPositions - promptLength;
            pair.Prompt = pair.Prompt[^promptLength..];
            pair.Chosen = pair.Chosen[..Math.Min(pair.Chosen.Length, answerLength)];
            pair.Rejected = pair.Rejected[..Math.Min(pair.Rejected.Length, answerLength)];
            truncated++;
        }
        return truncated;
    }

    /// <summary>A tokenised pair and, once <see cref="Prepare"/> ran, its reference log-probabilities.</summary>
    private sealed class EncodedPair(int[] prompt, int[] chosen, int[] rejected)
    {
        public int[] Prompt { get; set; } = prompt;
        public int[] Chosen { get; set; } = chosen;
        public int[] Rejected { get; set; } = rejected;
        public long Tokens => 2L * Prompt.Length + Chosen.Length + Rejected.Length;
        public float ReferenceChosen { get; set; }
        public float ReferenceRejected { get; set; }
    }
}
