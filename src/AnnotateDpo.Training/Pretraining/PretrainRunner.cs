using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Optimization;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Pretraining;

/// <summary>
/// Pretrains a small Llama-architecture model from scratch: corpus → byte-level BPE tokenizer with ChatML special
/// tokens → next-token training (AdamW, warmup + cosine, gradient clipping) → a Hugging Face model folder.
/// For a fixed seed and thread count the run is bit-for-bit reproducible.
/// </summary>
public sealed class PretrainRunner(ILogger<PretrainRunner>? logger = null)
{
    /// <summary>The run config saved beside the checkpoint.</summary>
    public const string RunConfigFileName = "pretrain_config.json";

    private const int MaxEvalBatches = 8;
    private readonly ILogger _logger = logger ?? NullLogger<PretrainRunner>.Instance;

    public Task<PretrainResult> RunAsync(PretrainOptions options, IProgress<PretrainProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(options, progress, cancellationToken), cancellationToken);

    public PretrainResult Run(PretrainOptions options, IProgress<PretrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var device = TorchDevice.Select();
        if (options.Threads is { } threads)
        {
            torch.set_num_threads(threads);
        }

        var corpus = PretrainCorpus.Load(options.CorpusDirectory, options.ChatDirectory, cancellationToken);
        _logger.LogInformation("Pretraining on {TextFiles} text files and {ChatRows} chat rows, device {Device}", corpus.TextFiles, corpus.ChatRows, device);

        Directory.CreateDirectory(options.OutputDirectory);
        var staging = Path.Combine(options.OutputDirectory, $".pretrain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            Report(progress, PretrainStage.TrainingTokenizer, options, clock, $"training a byte-level BPE tokenizer (vocab ≤ {options.VocabSize}) on {corpus.Documents.Count} documents");
            var bpe = ChatMlTokenizerFiles.Train(corpus.Documents, options.VocabSize, cancellationToken);
            ChatMlTokenizerFiles.Write(staging, bpe, options.ContextLength);
            using var tokenizer = HfTokenizer.Load(staging);

            Report(progress, PretrainStage.Encoding, options, clock, $"encoding the corpus with {tokenizer.VocabSize} tokens");
            var stream = corpus.Encode(tokenizer, cancellationToken);
            var evalCount = (int)(stream.Length * options.EvalFraction);
            var train = stream[..^evalCount];
            var eval = stream[^evalCount..];
            var sampler = new TokenWindowSampler(train, options.SequenceLength, options.Seed);

            var config = BuildConfig(options, tokenizer);
            using var model = CausalLMFactory.Create(config);
            InitializeWeights(model, options.Seed);
            model.to(device.Device);
            var parameterCount = model.parameters().Sum(p => p.numel());
            Report(progress, PretrainStage.Training, options, clock,
                $"{parameterCount:N0} parameters; {train.Length:N0} train tokens, {eval.Length:N0} eval tokens");

            var initialEval = EvalLoss(model, eval, options.SequenceLength, options.BatchSize);
            var losses = Train(model, sampler, options, device.Device, progress, clock, cancellationToken);
            Report(progress, PretrainStage.Evaluating, options, clock);
            var finalEval = EvalLoss(model, eval, options.SequenceLength, options.BatchSize);

            Report(progress, PretrainStage.Saving, options, clock, $"saving to {options.OutputDirectory}");
            File.WriteAllText(Path.Combine(staging, HfModelSaver.GenerationConfigFileName), GenerationConfigJson(tokenizer));
            model.to(CPU);
            RemoveStaleTokenizerFiles(options.OutputDirectory, staging);
            HfModelSaver.Save(model, options.OutputDirectory, sourceFolder: staging);
            var result = new PretrainResult(options.OutputDirectory, tokenizer.VocabSize, parameterCount, train.Length, eval.Length,
                losses, initialEval, finalEval, clock.Elapsed);
            WriteRunConfig(Path.Combine(options.OutputDirectory, RunConfigFileName), options, result);
            _logger.LogInformation("Pretraining done in {Elapsed}: loss {First:F3} → {Last:F3}", clock.Elapsed, losses[0], losses[^1]);
            return result;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The Llama config of the run, sized to the trained tokenizer.</summary>
    public static HfModelConfig BuildConfig(PretrainOptions options, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var endOfText = tokenizer.TokenToId(ChatMlTokenizerFiles.EndOfText)!.Value;
        var imEnd = tokenizer.TokenToId(ChatMlTokenizerFiles.ImEnd)!.Value;
        return new HfModelConfig
        {
            Architectures = ["LlamaForCausalLM"],
            ModelType = "llama",
            TorchDtype = "float32",
            VocabSize = tokenizer.VocabSize,
            HiddenSize = options.Hidden,
            IntermediateSize = options.Intermediate,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            NumKeyValueHeads = options.KeyValueHeads,
            HeadDim = options.Hidden / options.Heads,
            MaxPositionEmbeddings = options.ContextLength,
            RopeTheta = 10000,
            RmsNormEps = 1e-5,
            HiddenAct = "silu",
            AttentionBias = false,
            MlpBias = false,
            TieWordEmbeddings = true,
            BosTokenId = JsonSerializer.SerializeToElement(endOfText),
            EosTokenId = JsonSerializer.SerializeToElement(imEnd),
            PadTokenId = endOfText,
        };
    }

    /// <summary>
    /// GPT-2's initialisation: weights N(0, 0.02), the projections that write into the residual stream (o_proj,
    /// down_proj) scaled by 1/√(2·layers), norms at 1. Seeded through its own generator, so no global state is used.
    /// </summary>
    public static void InitializeWeights(CausalLM model, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        var residualStd = 0.02 / Math.Sqrt(2.0 * model.Config.Layers);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dim() < 2)
            {
                parameter.fill_(name.EndsWith("norm.weight", StringComparison.Ordinal) ? 1.0 : 0.0);
                continue;
            }
            var isResidual = name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal);
            parameter.normal_(0.0, isResidual ? residualStd : 0.02, generator);
        }
    }

    /// <summary>AdamW over the trainable parameters, with weight decay on 2-D weights only.</summary>
    public static optim.Optimizer CreateOptimizer(CausalLM model, PretrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return AdamWFactory.Create(model.parameters().Where(p => p.requires_grad), options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
    }

    private static List<double> Train(CausalLM model, TokenWindowSampler sampler, PretrainOptions options, Device device,
        IProgress<PretrainProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var optimizer = CreateOptimizer(model, options);
        var parameters = model.parameters().ToList();
        var losses = new List<double>(options.Steps);
        var tokensPerStep = (long)options.BatchSize * options.SequenceLength;
        var trainClock = Stopwatch.StartNew();
        model.train();
        for (var step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = LearningRateSchedule.At(step, options.Steps, options.WarmupSteps, options.LearningRate, options.MinLearningRateRatio);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            using (NewDisposeScope())
            {
                var (inputs, targets) = sampler.Next(options.BatchSize);
                var x = tensor(inputs, [options.BatchSize, options.SequenceLength], device: device); // (B, T)
                var y = tensor(targets, [options.BatchSize * options.SequenceLength], device: device); // (B·T)
                var logits = model.Forward(x); // (B, T, V)
                var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y);
                optimizer.zero_grad();
                loss.backward();
                if (options.GradientClip > 0)
                {
                    nn.utils.clip_grad_norm_(parameters, options.GradientClip);
                }
                optimizer.step();
                losses.Add(loss.item<float>());
            }

            if (step == 0 || (step + 1) % options.LogEvery == 0 || step == options.Steps - 1)
            {
                var tokensPerSecond = tokensPerStep * (step + 1) / Math.Max(trainClock.Elapsed.TotalSeconds, 1e-9);
                progress?.Report(new PretrainProgress(PretrainStage.Training, step + 1, options.Steps, losses[^1], lr, tokensPerSecond, clock.Elapsed));
            }
        }
        model.eval();
        return losses;
    }

    /// <summary>
    /// Mean next-token loss (nats) over the first non-overlapping windows of <paramref name="tokens"/>, at most
    /// <paramref name="maxBatches"/> batches; null when the stream is too short for one window.
    /// </summary>
    public static double? EvalLoss(CausalLM model, int[] tokens, int sequenceLength, int batchSize, int maxBatches = MaxEvalBatches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length < sequenceLength + 1)
        {
            return null;
        }
        var device = model.parameters().First().device;
        using var noGrad = no_grad();
        double sum = 0;
        long count = 0;
        foreach (var (inputs, targets) in TokenWindowSampler.Sequential(tokens, sequenceLength, batchSize, maxBatches))
        {
            using var scope = NewDisposeScope();
            var rows = inputs.Length / sequenceLength;
            var x = tensor(inputs, [rows, sequenceLength], device: device); // (B, T)
            var y = tensor(targets, [inputs.Length], device: device); // (B·T)
            var logits = model.Forward(x); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y, reduction: nn.Reduction.Sum);
            sum += loss.item<float>();
            count += inputs.Length;
        }
        return sum / count;
    }

    /// <summary>Generation ends at either end token: &lt;|im_end|&gt; closes a chat turn, &lt;|endoftext|&gt; a document.</summary>
    private static string GenerationConfigJson(HfTokenizer tokenizer)
    {
        var endOfText = tokenizer.TokenToId(ChatMlTokenizerFiles.EndOfText)!.Value;
        var imEnd = tokenizer.TokenToId(ChatMlTokenizerFiles.ImEnd)!.Value;
        var node = new JsonObject
        {
            ["bos_token_id"] = endOfText,
            ["eos_token_id"] = new JsonArray(imEnd, endOfText),
            ["pad_token_id"] = endOfText,
            ["do_sample"] = true,
            ["temperature"] = 0.8,
            ["top_p"] = 0.9,
            ["max_new_tokens"] = 128,
        };
        return node.ToJsonString(HfModelConfig.JsonOptions);
    }

    /// <summary>
    /// Tokenizer files of an earlier model in the output folder that this run does not write (a chat_template.jinja
    /// would override the new template) are deleted, so the folder describes one model.
    /// </summary>
    private static void RemoveStaleTokenizerFiles(string outputDirectory, string staging)
    {
        foreach (var name in HfModelSaver.TokenizerFileNames.Where(n => !File.Exists(Path.Combine(staging, n))))
        {
            File.Delete(Path.Combine(outputDirectory, name));
        }
    }

    private static void WriteRunConfig(string path, PretrainOptions options, PretrainResult result)
    {
        var node = new JsonObject
        {
            ["options"] = JsonSerializer.SerializeToNode(options),
            ["vocab_size"] = result.VocabSize,
            ["parameters"] = result.ParameterCount,
            ["train_tokens"] = result.TrainTokens,
            ["eval_tokens"] = result.EvalTokens,
            ["first_loss"] = result.Losses[0],
            ["final_loss"] = result.FinalLoss,
            ["initial_eval_loss"] = result.InitialEvalLoss,
            ["final_eval_loss"] = result.FinalEvalLoss,
            ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 1),
            ["torch_threads"] = torch.get_num_threads(),
        };
        File.WriteAllText(path, node.ToJsonString(HfModelConfig.JsonOptions));
    }

    private static void Report(IProgress<PretrainProgress>? progress, PretrainStage stage, PretrainOptions options, Stopwatch clock, string? message = null) =>
        progress?.Report(new PretrainProgress(stage, 0, options.Steps, double.NaN, 0, 0, clock.Elapsed, message));
}
