using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Pretraining;
using AnnotateDpo.Training.Runtime;
using TorchSharp;

namespace AnnotateDpo.Cli.Commands;

/// <summary><c>bench model</c>: a subcommand of <c>bench</c>.</summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "A Hugging Face model folder to benchmark." };
        var randomConfig = new Option<string?>("--random-config")
        {
            Description = $"Benchmark a randomly initialised model of a known shape instead: {string.Join(", ", TrainingStepBenchmark.RandomConfigs.Keys)}.",
        };
        var batch = new Option<int>("--batch") { Description = "Sequences per step.", DefaultValueFactory = _ => 4 };
        var seq = new Option<int>("--seq") { Description = "Tokens per sequence.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (the median is reported).", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (they allocate the optimizer state).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core)." };
        var command = new Command("model", "Forward, backward and AdamW-step time of a training step (median ms), tokens/s and peak resident memory.")
        {
            model, randomConfig, batch, seq, steps, warmup, threads,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(() =>
        {
            var folder = parse.GetValue(model);
            var shape = parse.GetValue(randomConfig);
            if ((folder is null) == (shape is null))
            {
                throw new ArgumentException("Give exactly one of --model or --random-config.");
            }
            var device = TorchDevice.Select();
            if (parse.GetValue(threads) is { } count)
            {
                torch.set_num_threads(count);
            }
            using var causalLm = folder is not null ? ModelFolder.LoadModel(folder, device) : RandomModel(shape!, device);
            var source = folder ?? $"random {shape}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench model: {source}, {causalLm.Config.Architectures[0]}, {causalLm.parameters().Sum(p => p.numel()):N0} parameters, " +
                $"{device}, {torch.get_num_threads()} threads; batch {parse.GetValue(batch)} × seq {parse.GetValue(seq)}, median of {parse.GetValue(steps)} steps"));
            var result = TrainingStepBenchmark.Run(causalLm, parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(steps), parse.GetValue(warmup),
                cancellationToken: ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forward   {result.ForwardMs,10:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backward  {result.BackwardMs,10:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"optimizer {result.OptimizerMs,10:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step      {result.StepMs,10:F1} ms  ({result.TokensPerSecond:F0} tokens/s)"));
            Console.WriteLine(result.PeakResidentBytes is { } peak
                ? string.Create(CultureInfo.InvariantCulture, $"peak RSS  {peak / 1048576.0,10:F0} MiB (VmHWM)")
                : "peak RSS  n/a (no /proc/self/status)");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static CausalLM RandomModel(string name, TorchDevice device)
    {
        if (!TrainingStepBenchmark.RandomConfigs.TryGetValue(name, out var config))
        {
            throw new ArgumentException($"--random-config: unknown shape '{name}'; known: {string.Join(", ", TrainingStepBenchmark.RandomConfigs.Keys)}.");
        }
        var model = CausalLMFactory.Create(config);
        PretrainRunner.InitializeWeights(model, seed: 0);
        return model.to(device.Device);
    }
}
