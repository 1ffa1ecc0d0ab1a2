using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Hf;

/// <summary>
/// Loads a Hugging Face model folder (config.json + model.safetensors or a sharded index). Keys must match
/// exactly: every missing, unexpected or wrongly-shaped tensor is reported, by name and shape, before any weight is
/// read, so a bad folder never yields a half-loaded model.
/// </summary>
public static class HfModelLoader
{
    public const string ConfigFileName = "config.json";

    /// <param name="device">Where the model runs; default CPU.</param>
    /// <param name="dtype">Parameter dtype; default fp32 (use <see cref="Runtime.TorchDevice.TrainingDtype"/>).</param>
    public static CausalLM Load(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var configPath = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"'{folder}' is not a Hugging Face model folder: it has no {ConfigFileName}.", configPath);

        var model = CausalLMFactory.Create(HfModelConfig.Load(configPath));
        try
        {
            LoadWeights(model, SafeTensorsFile.ReadFolderEntries(folder), folder);
            return model.to(device ?? CPU).to(dtype);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies checkpoint tensors into the model's parameters after checking that the keys match exactly.</summary>
    public static void LoadWeights(CausalLM model, IReadOnlyList<SafeTensorEntry> entries, string source)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var matched = MatchEntries(model, entries, parameters, source);

        using var noGrad = no_grad();
        foreach (var (name, entry) in matched)
        {
            var parameter = parameters[name];
            using var stored = SafeTensorsFile.ReadTensor(entry, parameter.dtype, parameter.device);
            using var layout = model.FromCheckpointLayout(name, stored);
            parameter.copy_(layout);
        }
    }

    private static Dictionary<string, SafeTensorEntry> MatchEntries(CausalLM model, IReadOnlyList<SafeTensorEntry> entries,
        Dictionary<string, TorchSharp.Modules.Parameter> parameters, string source)
    {
        var matched = new Dictionary<string, SafeTensorEntry>();
        var problems = new List<string>();
        foreach (var entry in entries)
        {
            var name = model.MapCheckpointKey(entry.Name);
            if (name is null)
                continue;
            if (!parameters.TryGetValue(name, out var parameter))
            {
                problems.Add($"unexpected tensor '{entry.Name}' [{Shape(entry.Shape)}]");
                continue;
            }
            if (!matched.TryAdd(name, entry))
            {
                problems.Add($"'{name}' is stored twice: as '{matched[name].Name}' and as '{entry.Name}'");
                continue;
            }
            using var layout = model.ToCheckpointLayout(name, parameter);
            if (!layout.shape.SequenceEqual(entry.Shape))
                problems.Add($"tensor '{entry.Name}' has shape [{Shape(entry.Shape)}], the model expects [{Shape(layout.shape)}]");
        }
        foreach (var (name, parameter) in parameters.Where(p => !matched.ContainsKey(p.Key)))
        {
            using var layout = model.ToCheckpointLayout(name, parameter);
            problems.Add($"missing tensor '{name}' [{Shape(layout.shape)}]");
        }

        return problems.Count == 0
            ? matched
            : throw new InvalidDataException(
                $"The weights in '{source}' do not fit {model.Config.Architectures.FirstOrDefault()}: {string.Join("; ", problems)}.");
    }

    private static string Shape(IEnumerable<long> shape) => string.Join(", ", shape);
}
