using System.Diagnostics;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Optimization;
using AnnotateDpo.Training.Pretraining;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Trainers;

/// <summary>The cost of training DPO for some epochs.</summary>
/// <param name="Seconds">All epochs, the reference pass and tokenising included.</param>
/// <param name="Tokens">Input tokens of the policy's training forwards (padding excluded).</param>
/// <param name="PeakResidentBytes">VmHWM at the end, reset before the start; null where the peak cannot be reset.</param>
public sealed record DpoEpochCost(int Epochs, double Seconds, long Tokens, long? PeakResidentBytes)
{
    public double SecondsPerEpoch => Seconds / Epochs;

    public double TokensPerSecond => Tokens / Math.Max(Seconds, 1e-9);
}

/// <summary>Our DPO training against the naive way on the same pairs, batches, epochs and optimizer.</summary>
public sealed record DpoEpochComparison(int Pairs, int MeanTokensPerPair, DpoEpochCost Ours, DpoEpochCost Naive);

/// <summary>
/// Times one DPO epoch two ways on synthetic pairs of about <c>sequenceLength</c> tokens (prompt plus answer): ours
/// (<see cref="Trainer"/> with <see cref="DpoObjective"/>: reference log-probs scored once up front with no second
/// model, chosen and rejected as one concatenated batch) and the naive way (a second, frozen reference model scored at
/// every step, and chosen and rejected as separate forward passes of policy and reference). A benchmark: it asserts
/// nothing.
/// </summary>
public static class DpoEpochBenchmark
{
    private const double LearningRate = 1e-5;

    private static readonly string[] Words =
    [
        "pump", "valve", "bearing", "pressure", "filter", "oil", "seal", "motor", "check", "replace", "inspect", "noise",
        "油圧", "点検", "交換", "異音", "温度", "安全", "停止", "記録",
    ];

    public static DpoEpochComparison Run(string modelFolder, int pairs, int sequenceLength, int batchSize, int epochs, int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var tokenizer = HfTokenizer.Load(modelFolder);
        var format = ChatFormats.For(tokenizer);
        var samples = SyntheticPairs(pairs, sequenceLength, tokenizer, format, seed);
        var meanTokens = (int)samples.Average(s =>
            ChatEncoder.EncodePromptResponse(s.Prompt, s.Chosen, format, tokenizer) is var ids ? ids.PromptIds.Length + ids.ResponseIds.Length : 0);

        var ours = Measure(epochs, () => OurEpochs(modelFolder, samples, tokenizer, format, batchSize, epochs, seed, cancellationToken));
        var naive = Measure(epochs, () => NaiveEpochs(modelFolder, samples, tokenizer, format, batchSize, epochs, seed, cancellationToken));
        return new DpoEpochComparison(pairs, meanTokens, ours, naive);
    }

    private static DpoEpochCost Measure(int epochs, Func<(double Seconds, long Tokens)> train)
    {
        var canReset = ResetPeakResident();
        var (seconds, tokens) = train();
        return new DpoEpochCost(epochs, seconds, tokens, canReset ? TrainingStepBenchmark.PeakResidentBytes() : null);
    }

    /// <summary>Resets VmHWM to the current RSS (Linux: "5" into /proc/self/clear_refs), so each epoch reports its own peak.</summary>
    private static bool ResetPeakResident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (double Seconds, long Tokens) OurEpochs(string modelFolder, IReadOnlyList<PreferenceSample> samples, HfTokenizer tokenizer,
        ChatFormat format, int batchSize, int epochs, int seed, CancellationToken cancellationToken)
    {
        using var model = HfModelLoader.Load(modelFolder);
        var clock = Stopwatch.StartNew();
        var objective = new DpoObjective(samples, null, tokenizer, format, overflow: SequenceOverflow.Truncate);
        var options = new TrainerOptions { Epochs = epochs, BatchSize = batchSize, LearningRate = LearningRate, Seed = seed, Shuffle = false };
        var result = new Trainer().Train(model, objective, options, cancellationToken: cancellationToken);
        return (clock.Elapsed.TotalSeconds, (long)result.Steps[^1].Metrics[TrainingMetrics.NumTokens]);
    }

    private static (double Seconds, long Tokens) NaiveEpochs(string modelFolder, IReadOnlyList<PreferenceSample> samples, HfTokenizer tokenizer,
        ChatFormat format, int batchSize, int epochs, int seed, CancellationToken cancellationToken)
    {
        using var policy = HfModelLoader.Load(modelFolder);
        using var reference = HfModelLoader.Load(modelFolder);
        reference.eval();
        foreach (var parameter in reference.parameters())
            parameter.requires_grad_(false);
        var clock = Stopwatch.StartNew();
        torch.manual_seed(seed);
        var encoded = samples.Select(s => (Chosen: ChatEncoder.EncodePromptResponse(s.Prompt, s.Chosen, format, tokenizer),
            Rejected: ChatEncoder.EncodePromptResponse(s.Prompt, s.Rejected, format, tokenizer))).ToList();
        var padId = tokenizer.PadId ?? tokenizer.EosId ?? 0;
        var parameters = policy.parameters().ToList();
        using var optimizer = AdamWFactory.Create(parameters, LearningRate, 0.9, 0.999, 0);
        var options = new PreferenceLossOptions();
        long tokens = 0;
        policy.train();
        foreach (var batch in Enumerable.Range(0, epochs).SelectMany(_ => encoded.Chunk(batchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor referenceChosen, referenceRejected;
            using (no_grad())
            {
                referenceChosen = Score(reference, batch.Select(p => p.Chosen), padId).Sum;
                referenceRejected = Score(reference, batch.Select(p => p.Rejected), padId).Sum;
            }
            var chosen = Score(policy, batch.Select(p => p.Chosen), padId);
            var rejected = Score(policy, batch.Select(p => p.Rejected), padId);
            using var loss = PreferenceLoss.Compute(new PreferenceLogProbs(
                chosen.Sum, rejected.Sum, referenceChosen, referenceRejected, chosen.TokenCount, rejected.TokenCount), options);
            loss.Loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
            tokens += batch.Sum(p => 2L * p.Chosen.PromptIds.Length + p.Chosen.ResponseIds.Length + p.Rejected.ResponseIds.Length);
        }
        return (clock.Elapsed.TotalSeconds, tokens);
    }

    private static SequenceLogProbs Score(ICausalLM model, IEnumerable<PromptResponseIds> rows, long padId)
    {
        var list = rows.ToList();
        using var batch = PaddedBatch.Create(
            list.Select(r => (IReadOnlyList<long>)[.. r.PromptIds.Select(id => (long)id), .. r.ResponseIds.Select(id => (long)id)]).ToList(),
            padId,
            PaddingSide.Right,
            list.Select(r => (IReadOnlyList<long>)[.. Enumerable.Repeat(TokenLogProbs.IgnoreIndex, r.PromptIds.Length), .. r.ResponseIds.Select(id => (long)id)]).ToList(),
            CPU);
        return TokenLogProbs.Compute(model, batch);
    }

    /// <summary>Distinct seeded pairs whose prompt and longer answer together take about <paramref name="sequenceLength"/> tokens.</summary>
    private static List<PreferenceSample> SyntheticPairs(int count, int sequenceLength, HfTokenizer tokenizer, ChatFormat format, int seed)
    {
        var random = new Random(seed);
        string Text(int words) => string.Join(" ", Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
        var pairs = new List<PreferenceSample>(count);
        for (var i = 0; i < count; i++)
        {
            var prompt = new List<ChatMessage> { new(ChatRoles.User, $"Case {i}: {Text(8)}?") };
            var words = 4;
            string chosen, rejected;
            do
            {
                words += 4;
                (chosen, rejected) = (Text(words), Text(words));
            }
            while (Length(prompt, chosen) < sequenceLength && words < 4 * sequenceLength);
            pairs.Add(new PreferenceSample(prompt, chosen, rejected));
        }
        return pairs;

        int Length(List<ChatMessage> prompt, string answer) =>
            ChatEncoder.EncodePromptResponse(prompt, answer, format, tokenizer) is var ids ? ids.PromptIds.Length + ids.ResponseIds.Length : 0;
    }
}
