using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Generation;

/// <summary>
/// Picks the next token from one row of logits, in Hugging Face's order: repetition penalty, then (when sampling)
/// temperature, top-k, top-p, and a draw from the seeded generator.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly GenerationOptions options;
    private readonly Generator? generator;

    public TokenSampler(GenerationOptions options, Device device)
    {
        this.options = options;
        if (options.Samples)
        {
            var seed = options.Seed ?? Random.Shared.NextInt64();
            generator = new Generator(unchecked((ulong)seed), device);
        }
    }

    /// <param name="logits">(V) float32 logits of the next position.</param>
    /// <param name="seenIds">Prompt and generated ids so far, for the repetition penalty.</param>
    public int Next(Tensor logits, IReadOnlyCollection<int> seenIds)
    {
        using var penalised = ApplyRepetitionPenalty(logits, seenIds); // (V)
        if (generator is null)
            return (int)penalised.argmax().item<long>();

        using var tempered = penalised / options.Temperature;
        using var topK = KeepTopK(tempered);
        using var topP = KeepTopP(topK);
        using var probabilities = topP.softmax(-1); // (V)
        using var sample = probabilities.multinomial(1, generator: generator); // (1)
        return (int)sample.item<long>();
    }

    public void Dispose() => generator?.Dispose();

    private Tensor ApplyRepetitionPenalty(Tensor logits, IReadOnlyCollection<int> seenIds)
    {
        if (options.RepetitionPenalty == 1.0 || seenIds.Count == 0)
            return logits.alias();

        using var ids = tensor(seenIds.Distinct().Select(id => (long)id).ToArray(), ScalarType.Int64, logits.device);
        using var seen = logits.gather(0, ids);
        using var negative = seen.lt(0);
        using var multiplied = seen * options.RepetitionPenalty;
        using var divided = seen / options.RepetitionPenalty;
        using var penalised = multiplied.where(negative, divided);
        return logits.scatter(0, ids, penalised);
    }

    private Tensor KeepTopK(Tensor logits)
    {
        if (options.TopK <= 0 || options.TopK >= logits.shape[0])
            return logits.alias();

        var (values, indices) = logits.topk(options.TopK);
        using (values)
        using (indices)
        {
            using var threshold = values[^1];
            using var below = logits.lt(threshold);
            return logits.masked_fill(below, double.NegativeInfinity);
        }
    }

    private Tensor KeepTopP(Tensor logits)
    {
        if (options.TopP >= 1.0)
            return logits.alias();

        var (sorted, order) = logits.sort(descending: true); // (V)
        using (sorted)
        using (order)
        {
            using var probabilities = sorted.softmax(-1);
            using var cumulative = probabilities.cumsum(0);
            using var before = cumulative - probabilities; // mass of the more likely tokens
            using var outside = before.ge(options.TopP); // the most likely token always stays
            using var removed = outside.scatter(0, order, outside); // back to vocabulary order
            return logits.masked_fill(removed, double.NegativeInfinity);
        }
    }
}
