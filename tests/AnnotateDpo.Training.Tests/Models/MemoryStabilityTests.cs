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
    private const int WarmupSteps = 100;
    private const int Steps = 500;
    /// <summary>
    /// Allowed RSS growth over the second half of the measured steps, for native memory that is not a tensor (tensors
    /// are counted exactly). Generous, because glibc's arenas still move by tens of MiB on a loaded machine.
    /// </summary>
    private const long MarginBytes = 64L * 1024 * 1024;

    [Fact]
    public void TrainingSteps_WithDisposeScopePerStep_KeepRssFlat()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama), seed: 3);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
        using var ids = torch.randint(1, 128, [2, 16], dtype: ScalarType.Int64);
        using var mask = torch.ones(2, 16, dtype: ScalarType.Int64);

        var halfway = 0L;
        var liveTensorsHalfway = 0L;
        for (var step = 0; step < WarmupSteps + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.Forward(ids, mask); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, 128), ids.view(-1));
            loss.backward();
            optimizer.step();
            if (step == WarmupSteps + Steps / 2 - 1)
            {
                halfway = ResidentBytes();
                liveTensorsHalfway = LiveTensors();
            }
        }
        var growth = ResidentBytes() - halfway;
        var tensorGrowth = LiveTensors() - liveTensorsHalfway;

        // The GC may well free undisposed tensors before RSS shows them; the live count shows every one.
        Assert.True(tensorGrowth <= 0, $"{tensorGrowth} more live tensors after the last {Steps / 2} steps");
        Assert.True(growth < MarginBytes, $"RSS grew by {growth / 1024 / 1024} MiB over the last {Steps / 2} of {WarmupSteps + Steps} steps");
    }

    private static long LiveTensors() => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    /// <summary>
    /// Read without forcing a collection: finalizers would free undisposed tensors and hide exactly the growth that
    /// happens in a real run, where the small managed heap gives the GC no reason to run.
    /// </summary>
    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // reported in kB
    }
}
