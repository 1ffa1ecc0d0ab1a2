namespace AnnotateDpo.Training.Trainers;

/// <summary>Metric names, exactly as TRL logs them, so runs can be compared with TRL's.</summary>
public static class TrainingMetrics
{
    public const string Loss = "loss";
    public const string GradNorm = "grad_norm";
    public const string LearningRate = "learning_rate";
    public const string Epoch = "epoch";

    /// <summary>Input tokens (padding excluded) seen since the start of training.</summary>
    public const string NumTokens = "num_tokens";

    public const string RewardsChosen = "rewards/chosen";
    public const string RewardsRejected = "rewards/rejected";
    public const string RewardsMargins = "rewards/margins";
    public const string RewardsAccuracies = "rewards/accuracies";
    public const string LogpsChosen = "logps/chosen";
    public const string LogpsRejected = "logps/rejected";
    public const string LogitsChosen = "logits/chosen";
    public const string LogitsRejected = "logits/rejected";

    public const string TokensPerSecond = "tokens_per_second";

    /// <summary>The process's peak resident memory so far, MiB.</summary>
    public const string PeakMemoryMb = "peak_memory_mb";

    /// <summary>exp(eval_loss) of an SFT eval, an addition to TRL's names.</summary>
    public const string Perplexity = "perplexity";

    /// <summary>
    /// A DPO eval's mean NLL per assistant token of the SFT eval examples (eval_sft_loss), an addition to TRL's names:
    /// comparable with an SFT stage's eval_loss, so runs with and without SFT can be compared on it.
    /// </summary>
    public const string SftLoss = "sft_loss";

    /// <summary>Prefixed to every metric of an eval, as the Hugging Face Trainer does.</summary>
    public const string EvalPrefix = "eval_";
}

/// <summary>Whether metrics describe training steps or an eval pass.</summary>
public enum MetricScope
{
    Train,
    Eval,
}

/// <summary>
/// Weighted means of metrics over the micro-batches of one step or one eval pass: a value recorded per micro-batch
/// with the number of items it averages, so a step's metric does not depend on how its batch was split.
/// </summary>
public sealed class MetricAccumulator
{
    private readonly Dictionary<string, (double Sum, double Weight)> values = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="value"/>, the mean over <paramref name="weight"/> items.</summary>
    public void Record(string name, double value, double weight = 1)
    {
        var (sum, total) = values.GetValueOrDefault(name);
        values[name] = (sum + value * weight, total + weight);
    }

    /// <summary>The weighted means, named for <paramref name="scope"/>: the one place the eval prefix is applied.</summary>
    public IReadOnlyDictionary<string, double> ToMetrics(MetricScope scope) =>
        values.ToDictionary(
            pair => scope == MetricScope.Eval ? TrainingMetrics.EvalPrefix + pair.Key : pair.Key,
            pair => pair.Value.Weight == 0 ? double.NaN : pair.Value.Sum / pair.Value.Weight,
            StringComparer.Ordinal);
}
