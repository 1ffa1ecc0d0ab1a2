using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Models;

/// <summary>Runs alone: process RSS is shared by every test running at the same time.</summary>
[CollectionDefinition(nameof(MemoryStabilityTests), DisableParallelization = true)]
public sealed class MemoryStabilityCollection;

[Collection(nameof(MemoryStabilityTests))]
public class MemoryStabilityTests
{
    private const int WarmupSteps = 50;
    private const int Steps = 500;
    private const long MarginBytes = 48L * 1024 * 1024;

    [Fact]
    public void TrainingSteps_WithDisposeScopePerStep_KeepRssFlat()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama), seed: 3);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
        using var ids = torch.randint(1, 128, [2, 16], dtype: ScalarType.Int64);
        using var mask = torch.ones(2, 16, dtype: ScalarType.Int64);

        var afterWarmup = 0L;
        for (var step = 0; step < WarmupSteps + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.Forward(ids, mask); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, 128), ids.view(-1));
            loss.backward();
            optimizer.step();
            if (step == WarmupSteps - 1)
                afterWarmup = ResidentBytes();
        }
        var growth = ResidentBytes() - afterWarmup;

        Assert.True(growth < MarginBytes, $"RSS grew by {growth / 1024 / 1024} MiB over {Steps} steps after warmup");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // reported in kB
    }
}
