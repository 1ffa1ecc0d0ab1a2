using System.Text.Json;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Hf;

/// <summary>What a model folder's generation_config.json says about generating.</summary>
public static class GenerationConfigFile
{
    /// <summary>The tokenizer's eos and generation_config.json's eos_token_id (a number or a list), as transformers stops.</summary>
    public static IReadOnlyCollection<int> EndTokenIds(string modelFolder, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new HashSet<int>();
        if (tokenizer.EosId is { } eos)
            ids.Add(eos);
        var path = Path.Combine(modelFolder, HfModelSaver.GenerationConfigFileName);
        if (File.Exists(path))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            if (json.RootElement.TryGetProperty("eos_token_id", out var value))
            {
                var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
                ids.UnionWith(values.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetInt32()));
            }
        }
        return ids;
    }
}
