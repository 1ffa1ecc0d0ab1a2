using System.Text.Json.Nodes;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Hf;

/// <summary>
/// Saves a model as a Hugging Face folder that transformers can load: config.json, model.safetensors,
/// generation_config.json and the tokenizer files of the folder it came from.
/// </summary>
public static class HfModelSaver
{
    public const string GenerationConfigFileName = "generation_config.json";

    public static readonly IReadOnlyList<string> TokenizerFileNames =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja"];

    /// <param name="sourceFolder">The folder the model was loaded from; its tokenizer and generation files are copied.</param>
    /// <param name="dtype">Stored dtype; default: the parameters' dtype.</param>
    public static void Save(CausalLM model, string folder, string? sourceFolder = null, ScalarType? dtype = null)
    {
        // Everything is written to a staging folder first, so a failure leaves the target as it was.
        Directory.CreateDirectory(folder);
        var staging = Path.Combine(folder, $".saving-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var storedDtype = dtype ?? model.parameters().First().dtype;
            WriteWeights(model, Path.Combine(staging, SafeTensorsFile.SingleFileName), storedDtype);
            var config = model.Config with { TorchDtype = DtypeName(storedDtype) };
            File.WriteAllText(Path.Combine(staging, HfModelLoader.ConfigFileName), config.ToJson());
            WriteGenerationConfig(config, sourceFolder, Path.Combine(staging, GenerationConfigFileName));
            foreach (var name in TokenizerFileNames.Where(n => sourceFolder is not null && File.Exists(Path.Combine(sourceFolder, n))))
                File.Copy(Path.Combine(sourceFolder!, name), Path.Combine(staging, name), overwrite: true);

            foreach (var file in Directory.GetFiles(staging))
                File.Move(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static void WriteWeights(CausalLM model, string path, ScalarType dtype)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                using var layout = model.ToCheckpointLayout(name, parameter);
                using var detached = layout.detach();
                tensors.Add(new(name, detached.to(dtype, copy: true)));
            }
            SafeTensorsFile.Write(path, tensors);
        }
        finally
        {
            foreach (var (_, tensor) in tensors)
                tensor.Dispose();
        }
    }

    private static void WriteGenerationConfig(HfModelConfig config, string? sourceFolder, string path)
    {
        var source = sourceFolder is null ? null : Path.Combine(sourceFolder, GenerationConfigFileName);
        if (source is not null && File.Exists(source))
        {
            File.Copy(source, path, overwrite: true);
            return;
        }

        var generation = new JsonObject { ["_from_model_config"] = true };
        if (config.BosTokenId is { } bos)
            generation["bos_token_id"] = JsonNode.Parse(bos.GetRawText());
        if (config.EosTokenId is { } eos)
            generation["eos_token_id"] = JsonNode.Parse(eos.GetRawText());
        if (config.PadTokenId is { } pad)
            generation["pad_token_id"] = pad;
        File.WriteAllText(path, generation.ToJsonString(HfModelConfig.JsonOptions));
    }

    private static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new NotSupportedException($"Models are saved as float32, bfloat16 or float16, not {dtype}."),
    };
}
