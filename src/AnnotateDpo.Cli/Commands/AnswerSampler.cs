using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Generation;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Tokenization;
using CoreChatMessage = AnnotateDpo.Core.Domain.ChatMessage;

namespace AnnotateDpo.Cli.Commands;

/// <summary>The sampling settings of a batch, checked and named as the options that set them.</summary>
internal sealed record SamplingSettings(double Temperature, double TopP, int MaxNewTokens, long Seed)
{
    public GenerationOptions Options(long seed, IReadOnlyCollection<int> eosIds)
    {
        var options = new GenerationOptions
        {
            MaxNewTokens = MaxNewTokens,
            DoSample = Temperature > 0,
            Temperature = Temperature,
            TopP = TopP,
            Seed = seed,
            EosTokenIds = eosIds,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            var option = ex.ParamName switch
            {
                nameof(GenerationOptions.MaxNewTokens) => "--max-new-tokens",
                nameof(GenerationOptions.Temperature) => "--temperature",
                nameof(GenerationOptions.TopP) => "--top-p",
                _ => ex.ParamName,
            };
            throw new ArgumentException($"{option}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
        return options;
    }
}

/// <summary>
/// One model loaded for answering chat prompts in its own chat format, stopping at its end tokens. Models are named
/// in stored records by their path under the app's home when they live there, so the records read the same on
/// another checkout.
/// </summary>
internal sealed class AnswerSampler : IDisposable
{
    private readonly HfTokenizer _tokenizer;
    private readonly CausalLM _model;
    private readonly ChatFormat _format;
    private readonly IReadOnlyCollection<int> _eosIds;
    private readonly TextGenerator _generator;

    public AnswerSampler(string folder)
    {
        ModelFolder.LoadConfig(folder);
        _tokenizer = ModelFolder.LoadTokenizer(folder);
        _model = ModelFolder.LoadModel(folder, TorchDevice.Select());
        _format = ChatFormats.For(_tokenizer);
        _eosIds = GenerationConfigFile.EndTokenIds(folder, _tokenizer);
        _generator = new TextGenerator(_model, _tokenizer);
    }

    public GenerationResult Answer(IReadOnlyList<CoreChatMessage> prompt, SamplingSettings settings, long seed, CancellationToken cancellationToken)
    {
        var messages = prompt.Select(m => new ChatMessage(m.Role, m.Content)).ToList();
        var ids = ChatEncoder.EncodePrompt(messages, _format, _tokenizer);
        return _generator.Generate(ids, settings.Options(seed, _eosIds), cancellationToken: cancellationToken);
    }

    public static string RecordedName(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var relative = Path.GetRelativePath(AppPaths.Home, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    public void Dispose()
    {
        _model.Dispose();
        _tokenizer.Dispose();
    }
}
