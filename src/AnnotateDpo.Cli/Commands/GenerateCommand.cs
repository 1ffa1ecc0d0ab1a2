using System.CommandLine;
using System.Text.Json;
using AnnotateDpo.Training.Generation;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = ModelFolder.Option();
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) to apply." };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The user message (wrapped in the model's chat format unless --raw).", Required = true };
        var system = new Option<string?>("--system") { Description = "An optional system message." };
        var raw = new Option<bool>("--raw") { Description = "Continue the prompt text as it is, without the chat format (for base models)." };
        var chatFormat = new Option<string?>("--chat-format") { Description = $"Override the detected chat format: {string.Join(", ", ChatFormats.Names)}." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.7 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold.", DefaultValueFactory = _ => 0.9 };
        var topK = new Option<int>("--top-k") { Description = "Sample from the k most likely tokens; 0 = off.", DefaultValueFactory = _ => 0 };
        var repetitionPenalty = new Option<double>("--repetition-penalty") { Description = "CTRL repetition penalty; 1 = off.", DefaultValueFactory = _ => 1.1 };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed (default: random)." };
        var command = new Command("generate", "Generate a reply from a model, streaming tokens to stdout.")
        {
            model, adapter, prompt, system, raw, chatFormat, maxNewTokens, temperature, topP, topK, repetitionPenalty, seed,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var folder = parse.GetValue(model)!;
            ModelFolder.LoadConfig(folder);
            using var tokenizer = ModelFolder.LoadTokenizer(folder);
            var promptIds = PromptIds(tokenizer, parse.GetValue(prompt)!, parse.GetValue(system), parse.GetValue(raw), parse.GetValue(chatFormat));
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                DoSample = parse.GetValue(temperature) > 0,
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                RepetitionPenalty = parse.GetValue(repetitionPenalty),
                Seed = parse.GetValue(seed),
                EosTokenIds = GenerationConfigFile.EndTokenIds(folder, tokenizer),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new ArgumentException($"--{Kebab(ex.ParamName)}: {ex.Message.Split(" (Parameter")[0]}", ex);
            }

            using var causalLm = ModelFolder.LoadModel(folder, TorchDevice.Select());
            if (parse.GetValue(adapter) is { } adapterFolder)
            {
                AdapterSupport.Apply(causalLm, adapterFolder);
            }
            var generator = new TextGenerator(causalLm, tokenizer);
            await foreach (var token in generator.StreamAsync(promptIds, options, ct))
            {
                Console.Write(token.TextDelta);
                await Console.Out.FlushAsync(ct);
            }
            Console.WriteLine();
            return ExitCodes.Success;
        }));
        return command;
    }

    public static int[] PromptIds(HfTokenizer tokenizer, string prompt, string? system, bool raw, string? formatName)
    {
        if (raw)
        {
            return tokenizer.Encode(prompt);
        }
        var format = ChatFormats.For(tokenizer, formatName);
        List<ChatMessage> messages = system is null
            ? [new ChatMessage(ChatRoles.User, prompt)]
            : [new ChatMessage(ChatRoles.System, system), new ChatMessage(ChatRoles.User, prompt)];
        return ChatEncoder.EncodePrompt(messages, format, tokenizer);
    }

    private static string Kebab(string? name) =>
        string.Concat((name ?? "").Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));
}

/// <summary>Applies a LoRA adapter folder to a loaded model.</summary>
internal static class AdapterSupport
{
    public static void Apply(CausalLM model, string adapterFolder)
    {
        if (!Directory.Exists(adapterFolder))
        {
            throw new DirectoryNotFoundException($"--adapter: the folder '{adapterFolder}' does not exist.");
        }
        try
        {
            LoraAdapter.Load(model, adapterFolder);
        }
        catch (FileNotFoundException ex)
        {
            throw new FileNotFoundException($"--adapter: {ex.Message}", ex.FileName, ex);
        }
    }
}
