using AnnotateDpo.Training.Generation;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>
/// The greedy answer to fixed eval prompt <paramref name="PromptIndex"/> at one eval pass: <paramref name="Tokens"/>
/// generated ids (the end token included), <paramref name="Finished"/> when the model ended the answer itself rather
/// than running into the token limit.
/// </summary>
public sealed record EvalSample(int PromptIndex, string Prompt, string Completion, int Tokens, bool Finished);

/// <summary>
/// Answers a run's fixed eval prompts at every eval pass, so a reader sees what the model says as it trains and the
/// run alerts see answers grow. Decoding is greedy: it draws no random numbers, so a run with samples trains exactly
/// as one without, and a resumed run writes the same samples as an uninterrupted one. The prompts are the same in
/// every stage, so one prompt's answers read across SFT and DPO.
/// </summary>
internal sealed class EvalSampler
{
    private readonly IReadOnlyList<(string Prompt, int[] Ids)> prompts;
    private readonly HfTokenizer tokenizer;
    private readonly GenerationOptions options;

    private EvalSampler(IReadOnlyList<(string Prompt, int[] Ids)> prompts, HfTokenizer tokenizer, GenerationOptions options)
    {
        this.prompts = prompts;
        this.tokenizer = tokenizer;
        this.options = options;
    }

    /// <summary>
    /// The first <paramref name="count"/> distinct prompts of the eval split that leave the model room to answer: the
    /// SFT eval examples' (their turns before the last answer) and then the DPO eval pairs'. Null when there are none.
    /// </summary>
    public static EvalSampler? Create(
        IReadOnlyList<SftSample> sftEval, IReadOnlyList<PreferenceSample> pairEval, int count, int maxNewTokens,
        HfTokenizer tokenizer, ChatFormat format, IReadOnlyCollection<int> endTokenIds, int maxPositions)
    {
        if (count == 0)
            return null;
        var chosen = sftEval.Select(sample => PromptOf(sample.Messages)).Concat(pairEval.Select(pair => pair.Prompt))
            .Where(prompt => prompt.Count > 0)
            .DistinctBy(prompt => string.Join('\u0000', prompt.Select(message => $"{message.Role}\u0001{message.Content}")))
            .Select(prompt => (Prompt: prompt[^1].Content, Ids: ChatEncoder.EncodePrompt(prompt, format, tokenizer)))
            .Where(prompt => prompt.Ids.Length > 0 && prompt.Ids.Length < maxPositions)
            .Take(count)
            .ToList();
        return chosen.Count == 0
            ? null
            : new EvalSampler(chosen, tokenizer, new GenerationOptions { MaxNewTokens = maxNewTokens, EosTokenIds = endTokenIds });
    }

    public IReadOnlyList<EvalSample> Generate(ICausalLM model, CancellationToken cancellationToken)
    {
        var generator = new TextGenerator(model, tokenizer);
        return prompts.Select((prompt, index) =>
        {
            var result = generator.Generate(prompt.Ids, options, cancellationToken: cancellationToken);
            return new EvalSample(index, prompt.Prompt, result.Text, result.TokenIds.Count, result.StopReason is StopReason.EndOfSequence or StopReason.StopString);
        }).ToList();
    }

    private static IReadOnlyList<ChatMessage> PromptOf(IReadOnlyList<ChatMessage> conversation)
    {
        var lastAnswer = conversation.ToList().FindLastIndex(message => message.Role == ChatRoles.Assistant);
        return lastAnswer < 0 ? conversation : conversation.Take(lastAnswer).ToList();
    }
}
