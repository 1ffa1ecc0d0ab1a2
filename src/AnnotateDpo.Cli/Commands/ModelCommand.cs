using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.SafeTensors;
using AnnotateDpo.Training.Tokenization;


namespace AnnotateDpo.Cli.Commands;

/// <summary>What <c>model info</c> reports; also its <c>--json</c> output.</summary>
internal sealed record ModelInfo(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("model_type")] string? ModelType,
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("layers")] int Layers,
    [property: JsonPropertyName("hidden_size")] int Hidden,
    [property: JsonPropertyName("heads")] int Heads,
    [property: JsonPropertyName("kv_heads")] int KeyValueHeads,
    [property: JsonPropertyName("intermediate_size")] int Intermediate,
    [property: JsonPropertyName("context")] int Context,
    [property: JsonPropertyName("vocab_size")] int VocabSize,
    [property: JsonPropertyName("tied_embeddings")] bool TiedEmbeddings,
    [property: JsonPropertyName("size_bytes")] long SizeBytes,
    [property: JsonPropertyName("tokenizer_vocab_size")] int? TokenizerVocabSize,
    [property: JsonPropertyName("chat_format")] string? ChatFormat,
    [property: JsonPropertyName("special_tokens")] IReadOnlyDictionary<string, int?>? SpecialTokens,
    [property: JsonPropertyName("round_trip_sample")] string RoundTripSample,
    [property: JsonPropertyName("round_trip_ids")] int? RoundTripIds,
    [property: JsonPropertyName("tokenizer_ok")] bool TokenizerOk,
    [property: JsonPropertyName("tokenizer_problem")] string? TokenizerProblem);

internal static class ModelCommand
{
    /// <summary>Japanese and English, with a character outside the BMP, punctuation and digits.</summary>
    public const string RoundTripSample = "油圧ポンプの異音を点検する（圧力 21 MPa）。Check the pump bearing for noise 🔧 before restart.";

    public static Command Create()
    {
        var command = new Command("model", "Inspect Hugging Face model folders.");
        command.Subcommands.Add(CreateInfo());
        return command;
    }

    private static Command CreateInfo()
    {
        var model = ModelFolder.Option();
        var json = new Option<bool>("--json") { Description = "Print the facts as JSON." };
        var command = new Command("info", "Architecture, parameter count, dtype, context, chat format and a tokenizer round-trip check (Japanese + English).")
        {
            model, json,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(() =>
        {
            var info = Inspect(parse.GetValue(model)!);
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(info, CliSupport.Json) : Render(info));
            if (!info.TokenizerOk)
            {
                Console.Error.WriteLine($"error: tokenizer check failed: {info.TokenizerProblem}");
                return Task.FromResult(ExitCodes.InvalidInput);
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    public static ModelInfo Inspect(string folder)
    {
        var config = ModelFolder.LoadConfig(folder);
        var entries = SafeTensorsFile.ReadFolderEntries(folder);
        long parameters;
        // Loading checks every tensor's name and shape against the config before anything else is reported.
        using (var loaded = ModelFolder.LoadModel(folder, TorchDevice.Select()))
        {
            parameters = loaded.parameters().Sum(p => p.numel());
        }
        var dtypes = string.Join("+", entries.Select(e => e.DType).Distinct().Order(StringComparer.Ordinal));
        var size = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);

        int? tokenizerVocab = null;
        string? chatFormat = null;
        Dictionary<string, int?>? special = null;
        int? roundTripIds = null;
        string? problem;
        if (!File.Exists(Path.Combine(folder, HfTokenizer.TokenizerFileName)))
        {
            problem = $"no {HfTokenizer.TokenizerFileName} in the folder";
        }
        else
        {
            using var tokenizer = HfTokenizer.Load(folder);
            tokenizerVocab = tokenizer.VocabSize;
            var format = ChatFormats.For(tokenizer);
            chatFormat = format.Name + (tokenizer.ChatTemplate is null ? " (no chat_template)" : " (detected from chat_template)");
            special = new Dictionary<string, int?>
            {
                ["bos"] = tokenizer.BosId,
                ["eos"] = tokenizer.EosId,
                ["pad"] = tokenizer.PadId,
            };
            var ids = tokenizer.Encode(RoundTripSample);
            roundTripIds = ids.Length;
            var decoded = tokenizer.Decode(ids);
            problem = decoded != RoundTripSample ? $"decode(encode(sample)) gave \"{decoded}\""
                : ids.Length > 0 && ids.Max() >= config.VocabSize ? $"the tokenizer produces id {ids.Max()}, beyond the model's vocab_size {config.VocabSize}"
                : tokenizerVocab > config.VocabSize ? $"the tokenizer has {tokenizerVocab} ids, the model's vocab_size is {config.VocabSize}"
                : SpecialTokenProblem(tokenizer, format);
        }

        return new ModelInfo(Path.GetFullPath(folder), config.Architectures.FirstOrDefault() ?? "?", config.ModelType, parameters,
            config.TorchDtype is null ? dtypes : $"{config.TorchDtype} (stored {dtypes})",
            config.Layers, config.Hidden, config.Heads, config.KeyValueHeads, config.Intermediate, config.MaxPositions, config.VocabSize,
            config.TiedEmbeddings, size, tokenizerVocab, chatFormat, special, RoundTripSample, roundTripIds, problem is null, problem);
    }

    /// <summary>ChatML's markers must each encode as one special id, or prompts are split into pieces the model never saw.</summary>
    private static string? SpecialTokenProblem(HfTokenizer tokenizer, ChatFormat format)
    {
        if (format.Name != ChatFormats.ChatMl)
        {
            return null;
        }
        foreach (var token in new[] { ChatMlFormat.ImStart, ChatMlFormat.ImEnd })
        {
            var ids = tokenizer.Encode(token);
            if (ids.Length != 1 || !tokenizer.IsSpecialId(ids[0]))
            {
                return $"{token} encodes as [{string.Join(", ", ids)}], not as one special token";
            }
        }
        return null;
    }

    private static string Render(ModelInfo info)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"model          {info.Folder}",
            $"architecture   {info.Architecture} ({info.ModelType ?? "?"})",
            string.Create(c, $"parameters     {info.Parameters:N0} ({info.Parameters / 1e6:F2} M)"),
            $"dtype          {info.Dtype}",
            $"shape          {info.Layers} layers, hidden {info.Hidden}, {info.Heads} heads ({info.KeyValueHeads} kv), intermediate {info.Intermediate}",
            $"context        {info.Context}",
            $"vocab          {info.VocabSize} (tokenizer {info.TokenizerVocabSize?.ToString(c) ?? "none"}); tied embeddings: {(info.TiedEmbeddings ? "yes" : "no")}",
            string.Create(c, $"size on disk   {info.SizeBytes / 1048576.0:F1} MiB"),
            $"chat format    {info.ChatFormat ?? "n/a"}",
        };
        if (info.SpecialTokens is { } special)
        {
            lines.Add($"special ids    {string.Join(", ", special.Select(p => $"{p.Key} {p.Value?.ToString(c) ?? "none"}"))}");
        }
        lines.Add(info.TokenizerOk
            ? $"tokenizer      round trip OK ({info.RoundTripIds} ids for \"{info.RoundTripSample}\")"
            : $"tokenizer      FAIL: {info.TokenizerProblem}");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Opening a model folder for the model commands, with errors that say what is wrong with it.</summary>
internal static class ModelFolder
{
    public static Option<string> Option() => new("--model", "-m")
    {
        Description = "A Hugging Face model folder (config.json, model.safetensors, tokenizer.json).",
        Required = true,
    };

    public static HfModelConfig LoadConfig(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"--model: the folder '{folder}' does not exist.");
        }
        var path = Path.Combine(folder, HfModelLoader.ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--model: '{folder}' is not a Hugging Face model folder: it has no {HfModelLoader.ConfigFileName}.", path);
        }
        try
        {
            var config = HfModelConfig.Load(path);
            _ = config.Architecture; // throws naming the supported ones
            return config;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"--model: {path}: {ex.Message}", ex);
        }
    }

    public static CausalLM LoadModel(string folder, TorchDevice device)
    {
        LoadConfig(folder);
        try
        {
            return HfModelLoader.Load(folder, device.Device);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidDataException($"--model: {ex.Message}", ex);
        }
    }

    public static HfTokenizer LoadTokenizer(string folder)
    {
        if (!File.Exists(Path.Combine(folder, HfTokenizer.TokenizerFileName)))
        {
            throw new FileNotFoundException($"--model: '{folder}' has no {HfTokenizer.TokenizerFileName}; this command needs the model's tokenizer.");
        }
        return HfTokenizer.Load(folder);
    }
}
