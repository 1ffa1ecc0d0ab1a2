using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Training.Pretraining;

namespace AnnotateDpo.Cli.Commands;

internal static class PretrainCommand
{
    public static Command Create()
    {
        var defaults = new PretrainOptions { CorpusDirectory = "", OutputDirectory = "" };
        var corpus = new Option<string>("--corpus") { Description = "Folder of .txt files (searched recursively) to pretrain on.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write the Hugging Face model into.", Required = true };
        var chat = new Option<string?>("--chat") { Description = "Optional folder of SFT-like .jsonl rows, mixed in as ChatML conversations." };
        var steps = IntOption("--steps", "Optimizer steps.", defaults.Steps);
        var seed = IntOption("--seed", "Seed of the weights and the batch order.", defaults.Seed);
        var vocab = IntOption("--vocab", "Upper bound on the tokenizer's vocabulary.", defaults.VocabSize);
        var hidden = IntOption("--hidden", "hidden_size.", defaults.Hidden);
        var layers = IntOption("--layers", "num_hidden_layers.", defaults.Layers);
        var heads = IntOption("--heads", "num_attention_heads.", defaults.Heads);
        var kvHeads = IntOption("--kv-heads", "num_key_value_heads.", defaults.KeyValueHeads);
        var intermediate = IntOption("--intermediate", "intermediate_size of the MLP.", defaults.Intermediate);
        var context = IntOption("--context", "max_position_embeddings.", defaults.ContextLength);
        var seq = IntOption("--seq", "Tokens per training sequence.", defaults.SequenceLength);
        var batch = IntOption("--batch", "Sequences per step.", defaults.BatchSize);
        var warmup = IntOption("--warmup", "Linear warmup steps.", defaults.WarmupSteps);
        var logEvery = IntOption("--log-every", "Print a progress line every this many steps.", defaults.LogEvery);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay on 2-D weights.", DefaultValueFactory = _ => defaults.WeightDecay };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core); fix it for reproducible runs." };
        var command = new Command("pretrain", "Train a byte-level BPE tokenizer and a small Llama model from scratch on a text corpus; saves a Hugging Face folder.")
        {
            corpus, output, chat, steps, seed, vocab, hidden, layers, heads, kvHeads, intermediate, context, seq, batch, warmup, lr, weightDecay, threads, logEvery,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var options = new PretrainOptions
            {
                CorpusDirectory = parse.GetValue(corpus)!,
                OutputDirectory = parse.GetValue(output)!,
                ChatDirectory = parse.GetValue(chat),
                Steps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
                VocabSize = parse.GetValue(vocab),
                Hidden = parse.GetValue(hidden),
                Layers = parse.GetValue(layers),
                Heads = parse.GetValue(heads),
                KeyValueHeads = parse.GetValue(kvHeads),
                Intermediate = parse.GetValue(intermediate),
                ContextLength = parse.GetValue(context),
                SequenceLength = parse.GetValue(seq),
                BatchSize = parse.GetValue(batch),
                WarmupSteps = parse.GetValue(warmup),
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(weightDecay),
                Threads = parse.GetValue(threads),
                LogEvery = parse.GetValue(logEvery),
            };
            var result = await new PretrainRunner().RunAsync(options, new ConsoleProgress(), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"done: {result.ParameterCount:N0} parameters, vocab {result.VocabSize}, loss {result.Losses[0]:F3} → {result.FinalLoss:F3}, " +
                $"eval loss {Format(result.InitialEvalLoss)} → {Format(result.FinalEvalLoss)}, {result.Elapsed.TotalSeconds:F0} s; saved to {result.OutputDirectory}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Option<int> IntOption(string name, string description, int defaultValue) =>
        new(name) { Description = $"{description} Default: {defaultValue}.", DefaultValueFactory = _ => defaultValue };

    private static string Format(double? loss) => loss is { } value ? value.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    private static string StageName(PretrainStage stage) => stage switch
    {
        PretrainStage.TrainingTokenizer => "tokenizer",
        PretrainStage.Encoding => "encoding",
        PretrainStage.Training => "training",
        PretrainStage.Evaluating => "evaluating",
        PretrainStage.Saving => "saving",
        _ => stage.ToString(),
    };

    /// <summary>Prints each report as it happens (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class ConsoleProgress : IProgress<PretrainProgress>
    {
        public void Report(PretrainProgress value)
        {
            var elapsed = value.Elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
            Console.WriteLine(value.Stage == PretrainStage.Training && value.Step > 0
                ? string.Create(CultureInfo.InvariantCulture,
                    $"step {value.Step}/{value.TotalSteps} loss {value.Loss:F4} lr {value.LearningRate:0.00e+00} tok/s {value.TokensPerSecond:F0} elapsed {elapsed}")
                : $"[{elapsed}] {StageName(value.Stage)}{(value.Message is null ? "" : ": " + value.Message)}");
        }
    }
}
