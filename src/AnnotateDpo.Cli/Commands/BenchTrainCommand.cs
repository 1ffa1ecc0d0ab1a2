using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Trainers;
using TorchSharp;

namespace AnnotateDpo.Cli.Commands;

/// <summary><c>bench train</c>: a subcommand of <c>bench</c>.</summary>
internal static class BenchTrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A Hugging Face model folder.", Required = true };
        var stage = new Option<string>("--stage") { Description = "The stage to benchmark: dpo (the only one with a naive way to compare).", DefaultValueFactory = _ => "dpo" };
        var pairs = new Option<int>("--pairs") { Description = "Synthetic preference pairs.", DefaultValueFactory = _ => 64 };
        var seq = new Option<int>("--seq") { Description = "Tokens per pair (prompt plus the answer).", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "Pairs per step.", DefaultValueFactory = _ => 8 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (the presets train 2).", DefaultValueFactory = _ => 2 };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core)." };
        var command = new Command("train",
            "Seconds per epoch, tokens/s and peak memory of our DPO training and, in the same run, of the naive way (reference model scored every step, chosen and rejected as separate forwards), with the ratio.")
        {
            model, stage, pairs, seq, batch, epochs, threads,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(() =>
        {
            if (!string.Equals(parse.GetValue(stage)!.Trim(), "dpo", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--stage '{parse.GetValue(stage)}': only dpo has a naive way to compare with.");
            var folder = Path.GetFullPath(parse.GetValue(model)!);
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"The model folder {folder} does not exist.");
            TorchRuntime.EnsureInitialized();
            if (parse.GetValue(threads) is { } count)
                torch.set_num_threads(count);
            var (pairCount, length, batchSize, epochCount) = (parse.GetValue(pairs), parse.GetValue(seq), parse.GetValue(batch), parse.GetValue(epochs));
            var result = DpoEpochBenchmark.Run(folder, pairCount, length, batchSize, epochCount, cancellationToken: ct);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench train: {folder}, dpo, {result.Pairs} pairs of ~{result.MeanTokensPerPair} tokens (--seq {length}), batch {batchSize}, {epochCount} epochs, cpu, {torch.get_num_threads()} threads"));
            Console.WriteLine($"{"",-44} {"s/epoch",9} {"tokens/s",9} {"peak RSS",10}");
            Line("ours  (reference once, one concatenated pass)", result.Ours);
            Line("naive (reference every step, separate passes)", result.Naive);
            var memory = result.Ours.PeakResidentBytes is { } ours && result.Naive.PeakResidentBytes is { } naive
                ? string.Create(CultureInfo.InvariantCulture, $"{(double)naive / ours:F2}× the peak memory")
                : "peak memory n/a";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio: naive takes {result.Naive.SecondsPerEpoch / result.Ours.SecondsPerEpoch:F2}× the time per epoch and {memory} of ours"));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static void Line(string label, DpoEpochCost cost) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-46} {cost.SecondsPerEpoch,9:F2} {cost.TokensPerSecond,9:F0} {(cost.PeakResidentBytes is { } peak ? $"{peak / 1048576.0:F0} MiB" : "n/a"),10}"));
}
