using System.Text.Json;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>Checks that a folder looks like a Hugging Face model we can train, before anything is loaded or written.</summary>
public static class ModelFolderCheck
{
    private const string Hint =
        "Point the run at a Hugging Face folder holding config.json, model.safetensors and tokenizer.json, such as seed-data/models/demo-tiny or a finished run's sft/ or dpo/ folder.";

    /// <summary>Throws <see cref="DirectoryNotFoundException"/> or <see cref="InvalidDataException"/> saying what is missing and what to do.</summary>
    public static void Validate(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The model folder {folder} does not exist. {Hint}");
        string[] required = [HfModelLoader.ConfigFileName, HfTokenizer.TokenizerFileName];
        foreach (var file in required.Where(f => !File.Exists(Path.Combine(folder, f))))
            throw new InvalidDataException($"{folder} is not a model folder: it has no {file}. {Hint}");
        if (!File.Exists(Path.Combine(folder, SafeTensorsFile.SingleFileName)) && !File.Exists(Path.Combine(folder, SafeTensorsFile.IndexFileName)))
            throw new InvalidDataException($"{folder} has no weights: neither {SafeTensorsFile.SingleFileName} nor {SafeTensorsFile.IndexFileName}. {Hint}");
        HfModelConfig config;
        try
        {
            config = HfModelConfig.Load(Path.Combine(folder, HfModelLoader.ConfigFileName));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{Path.Combine(folder, HfModelLoader.ConfigFileName)} is not valid JSON ({error.Message}). {Hint}", error);
        }
        if (!config.Architectures.Any(HfModelConfig.SupportedArchitectures.ContainsKey))
            throw new InvalidDataException(
                $"{folder} holds a {string.Join(", ", config.Architectures)} model; the trainer supports {string.Join(", ", HfModelConfig.SupportedArchitectures.Keys)}.");
    }
}
