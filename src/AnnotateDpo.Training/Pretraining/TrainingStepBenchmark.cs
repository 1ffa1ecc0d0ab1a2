using System.Diagnostics;
using System.Globalization;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Pretraining;

/// <summary>Median times (ms) of the three parts of a training step, throughput and peak memory.</summary>
/// <param name="PeakResidentBytes">VmHWM of the process (Linux), null elsewhere.</param>
public sealed record TrainingStepTimings(
    int BatchSize,
    int SequenceLength,
    int Steps,
    long Parameters,
    double ForwardMs,
    double BackwardMs,
    double OptimizerMs,
    long? PeakResidentBytes)
{
    public double StepMs => ForwardMs + BackwardMs + OptimizerMs;
    public double TokensPerSecond => BatchSize * SequenceLength / (StepMs / 1000.0);
}

/// <summary>
/// Times forward (logits + cross-entropy), backward and an AdamW step on random token ids, after warmup steps that
/// allocate the optimizer state. A benchmark, not a test: nothing here asserts a speed.
/// </summary>
public static class TrainingStepBenchmark
{
    /// <summary>Shapes of real models, for benchmarking without their weights.</summary>
    public static IReadOnlyDictionary<string, HfModelConfig> RandomConfigs { get; } = new Dictionary<string, HfModelConfig>(StringComparer.OrdinalIgnoreCase)
    {
        // HuggingFaceTB/SmolLM2-135M's config.json.
        ["smollm2-135m"] = new HfModelConfig
        {
            Architectures = ["LlamaForCausalLM"], ModelType = "llama", TorchDtype = "float32", VocabSize = 49152,
            HiddenSize = 576, IntermediateSize = 1536, NumHiddenLayers = 30, NumAttentionHeads = 9, NumKeyValueHeads = 3,
            HeadDim = 64, MaxPositionEmbeddings = 8192, RopeTheta = 100000, RmsNormEps = 1e-5, HiddenAct = "silu",
            AttentionBias = false, MlpBias = false, TieWordEmbeddings = true,
        },
    };

    public static TrainingStepTimings Run(CausalLM model, int batchSize, int sequenceLength, int steps, int warmupSteps = 1, int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (sequenceLength < 1 || sequenceLength > model.Config.MaxPositions)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"The sequence length must be in 1..{model.Config.MaxPositions} (the model's context).");
        }

        var device = model.parameters().First().device;
        var parameters = model.parameters().ToList();
        var options = new PretrainOptions { CorpusDirectory = "", OutputDirectory = "", LearningRate = 1e-4 };
        using var optimizer = PretrainRunner.CreateOptimizer(model, options);
        using var generator = new Generator((ulong)seed, CPU);
        var forward = new List<double>();
        var backward = new List<double>();
        var step = new List<double>();
        model.train();
        for (var i = 0; i < warmupSteps + steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var ids = randint(0, model.Config.VocabSize, [batchSize, sequenceLength + 1], generator: generator).to(device); // (B, T + 1)
            var inputs = ids[.., ..^1]; // (B, T)
            var targets = ids[.., 1..].reshape(-1); // (B·T)

            var clock = Stopwatch.StartNew();
            var logits = model.Forward(inputs); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets);
            _ = loss.item<float>();
            var forwardMs = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            loss.backward();
            Synchronize(device);
            var backwardMs = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
            optimizer.zero_grad();
            Synchronize(device);
            var stepMs = clock.Elapsed.TotalMilliseconds;

            if (i >= warmupSteps)
            {
                forward.Add(forwardMs);
                backward.Add(backwardMs);
                step.Add(stepMs);
            }
        }
        model.eval();
        return new TrainingStepTimings(batchSize, sequenceLength, steps, parameters.Sum(p => p.numel()),
            Median(forward), Median(backward), Median(step), PeakResidentBytes());
    }

    /// <summary>The process's peak resident set size (VmHWM in /proc/self/status), or null where there is none.</summary>
    public static long? PeakResidentBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            cuda.synchronize();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
