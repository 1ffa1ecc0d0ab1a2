using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.SafeTensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Trainers;

/// <summary>Where and how often <see cref="Trainer"/> writes checkpoints, and which one it resumes from.</summary>
/// <param name="Folder">The folder that holds the checkpoint folders (<c>&lt;name&gt;-step-000010/</c>).</param>
/// <param name="Name">Whose checkpoints these are (the pipeline's stage), the prefix of each checkpoint folder.</param>
/// <param name="Every">Write one every this many optimizer steps (and at a cancelled step); 0: never.</param>
/// <param name="MinFreeBytes">Free disk space to leave beyond the checkpoint's own size.</param>
/// <param name="ResumeFrom">A checkpoint folder of this <paramref name="Name"/> to continue from; null: start at step 0.</param>
public sealed record TrainerCheckpoints(string Folder, string Name, int Every, long MinFreeBytes = 0, string? ResumeFrom = null);

/// <summary>trainer_state.json: the counters that, with the weights, optimizer and RNG state, continue a run exactly.</summary>
public sealed record TrainerState
{
    public const string FileName = "trainer_state.json";

    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Optimizer steps done.</summary>
    [JsonPropertyName("step")] public int Step { get; init; }

    [JsonPropertyName("total_steps")] public int TotalSteps { get; init; }

    /// <summary>Training samples drawn from the seeded epoch order so far.</summary>
    [JsonPropertyName("samples_consumed")] public long SamplesConsumed { get; init; }

    [JsonPropertyName("num_tokens")] public long NumTokens { get; init; }

    [JsonPropertyName("seed")] public int Seed { get; init; }

    [JsonPropertyName("saved_at")] public DateTimeOffset SavedAt { get; init; }
}

/// <summary>
/// One checkpoint folder: <c>trainable.safetensors</c> (the parameters that require grad, by name: all weights for
/// full fine-tuning, the LoRA matrices otherwise), <c>optimizer.bin</c> (AdamW's moments and step counts, TorchSharp's
/// format), <c>rng_state.bin</c> (torch's default generator) and <see cref="TrainerState.FileName"/>. A folder is
/// written under a temporary name and renamed when complete, so a killed process never leaves half a checkpoint.
/// </summary>
public static class TrainerCheckpoint
{
    public const string TrainableFileName = "trainable.safetensors";
    public const string OptimizerFileName = "optimizer.bin";
    public const string RngStateFileName = "rng_state.bin";

    private const long BytesPerMb = 1024 * 1024;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static string FolderName(string name, int step) => string.Create(CultureInfo.InvariantCulture, $"{name}-step-{step:D6}");

    /// <summary>The newest complete checkpoint of <paramref name="name"/> in <paramref name="folder"/>, or null.</summary>
    public static string? Latest(string folder, string name)
    {
        if (!Directory.Exists(folder))
            return null;
        return Directory.GetDirectories(folder, $"{name}-step-*")
            .Where(d => File.Exists(Path.Combine(d, TrainerState.FileName)))
            .OrderBy(d => d, StringComparer.Ordinal)
            .LastOrDefault();
    }

    public static TrainerState LoadState(string checkpoint) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(checkpoint, TrainerState.FileName)), JsonOptions)
        ?? throw new InvalidDataException($"{checkpoint} holds no trainer state.");

    /// <summary>
    /// Writes the checkpoint of <paramref name="state"/>, then deletes the older checkpoints of the same name. Checks the
    /// free disk space first and throws <see cref="IOException"/> saying how much is needed when it is short.
    /// </summary>
    /// <returns>The checkpoint folder.</returns>
    public static string Save(TrainerCheckpoints where, TrainerState state,
        IReadOnlyList<(string Name, Parameter Parameter)> parameters, optim.Optimizer optimizer)
    {
        Directory.CreateDirectory(where.Folder);
        // Weights plus AdamW's two moments, each the size of the weights.
        var needed = 3 * parameters.Sum(p => p.Parameter.numel() * p.Parameter.dtype.ElementSize()) + where.MinFreeBytes;
        var free = new DriveInfo(Path.GetFullPath(where.Folder)).AvailableFreeSpace;
        if (free < needed)
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"Not enough free disk space for a checkpoint in {where.Folder}: it needs {needed / BytesPerMb:N0} MB (checkpoint plus the {where.MinFreeBytes / BytesPerMb:N0} MB to keep free) and {free / BytesPerMb:N0} MB are free. ")
                + "Free some space, lower min_free_disk_mb, or set checkpoint_steps to 0 to train without checkpoints.");

        var target = Path.Combine(where.Folder, FolderName(where.Name, state.Step));
        var staging = Path.Combine(where.Folder, $".saving-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            SafeTensorsFile.Write(Path.Combine(staging, TrainableFileName),
                parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter)));
            ((OptimizerHelper)optimizer).save_state_dict(Path.Combine(staging, OptimizerFileName));
            using (var rng = torch.get_rng_state())
                File.WriteAllBytes(Path.Combine(staging, RngStateFileName), rng.bytes.ToArray());
            File.WriteAllText(Path.Combine(staging, TrainerState.FileName), JsonSerializer.Serialize(state, JsonOptions));
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
        foreach (var older in Directory.GetDirectories(where.Folder, $"{where.Name}-step-*").Where(d => d != target))
            Directory.Delete(older, recursive: true);
        return target;
    }

    /// <summary>
    /// Restores the parameters, the optimizer and torch's generator from <paramref name="checkpoint"/>; the parameter
    /// names and shapes must be the ones it was saved with.
    /// </summary>
    public static TrainerState Restore(string checkpoint, IReadOnlyList<(string Name, Parameter Parameter)> parameters, optim.Optimizer optimizer)
    {
        var state = LoadState(checkpoint);
        var stored = SafeTensorsFile.ReadAll(Path.Combine(checkpoint, TrainableFileName));
        try
        {
            var missing = parameters.Select(p => p.Name).Where(n => !stored.ContainsKey(n)).ToList();
            if (missing.Count > 0 || stored.Count != parameters.Count)
                throw new InvalidDataException(
                    $"Checkpoint {checkpoint} does not match the model: it holds {stored.Count} trainable tensors, the model has {parameters.Count}" +
                    (missing.Count > 0 ? $" (missing {missing[0]})" : "") + ". Was the run's config or model changed?");
            using (no_grad())
            {
                foreach (var (name, parameter) in parameters)
                {
                    if (!stored[name].shape.SequenceEqual(parameter.shape))
                        throw new InvalidDataException($"Checkpoint {checkpoint}: {name} has shape [{string.Join(", ", stored[name].shape)}], the model [{string.Join(", ", parameter.shape)}].");
                    parameter.copy_(stored[name]);
                }
            }
        }
        finally
        {
            foreach (var tensor in stored.Values)
                tensor.Dispose();
        }
        ((OptimizerHelper)optimizer).load_state_dict(Path.Combine(checkpoint, OptimizerFileName));
        using (var rng = torch.tensor(File.ReadAllBytes(Path.Combine(checkpoint, RngStateFileName)), ScalarType.Byte))
            torch.set_rng_state(rng);
        return state;
    }
}
