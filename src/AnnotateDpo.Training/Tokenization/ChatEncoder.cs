namespace AnnotateDpo.Training.Tokenization;

/// <summary>Token ids of a conversation and their labels: the id where the model is trained on it, else <see cref="ChatEncoder.IgnoreIndex"/>.</summary>
public sealed record EncodedChat(int[] InputIds, int[] Labels);

/// <summary>A prompt and one response to it, tokenized for scoring log π(response | prompt) in DPO.</summary>
public sealed record PromptResponseIds(int[] PromptIds, int[] ResponseIds);

/// <summary>
/// Turns conversations into model inputs. Each segment of the rendered conversation is encoded on its own and the
/// ids are concatenated, so a label mask follows segment boundaries exactly — nothing is found by searching the
/// rendered string. Special-token text inside a segment becomes its single special id.
/// </summary>
public static class ChatEncoder
{
    /// <summary>PyTorch cross-entropy's default ignore_index, as in transformers and TRL.</summary>
    public const int IgnoreIndex = -100;

    /// <param name="lastTurnOnly">Train only on the last assistant turn; earlier answers become context.</param>
    public static EncodedChat Encode(IReadOnlyList<ChatMessage> conversation, ChatFormat format, HfTokenizer tokenizer, bool lastTurnOnly = false)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var segments = format.Render(conversation, addGenerationPrompt: false);
        var lastTarget = LastTargetIndex(segments);
        if (lastTarget < 0)
        {
            throw new ArgumentException("The conversation has no assistant message to train on.", nameof(conversation));
        }

        var inputIds = new List<int>();
        var labels = new List<int>();
        for (var i = 0; i < segments.Count; i++)
        {
            var ids = tokenizer.Encode(segments[i].Text);
            var trained = segments[i].IsTarget && (!lastTurnOnly || i == lastTarget);
            inputIds.AddRange(ids);
            labels.AddRange(trained ? ids : Enumerable.Repeat(IgnoreIndex, ids.Length));
        }
        return new EncodedChat([.. inputIds], [.. labels]);
    }

    /// <summary>Ids of a conversation followed by the assistant header, to generate the next answer from.</summary>
    public static int[] EncodePrompt(IReadOnlyList<ChatMessage> conversation, ChatFormat format, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return format.Render(conversation, addGenerationPrompt: true).SelectMany(s => tokenizer.Encode(s.Text)).ToArray();
    }

    /// <summary>
    /// Ids of <paramref name="prompt"/> rendered up to and including the assistant header, and of
    /// <paramref name="response"/> as that assistant's target segment (content + end-of-turn token). They come from
    /// the same segments <see cref="Encode"/> uses, so a DPO response is scored on exactly the ids SFT trained on.
    /// </summary>
    public static PromptResponseIds EncodePromptResponse(IReadOnlyList<ChatMessage> prompt, string response, ChatFormat format, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (prompt.Count == 0 || prompt[^1].Role == ChatRoles.Assistant)
        {
            throw new ArgumentException("A prompt must be non-empty and must not end with an assistant message.", nameof(prompt));
        }

        var segments = format.Render([.. prompt, new ChatMessage(ChatRoles.Assistant, response)], addGenerationPrompt: false);
        var target = LastTargetIndex(segments);
        var promptIds = segments.Take(target).SelectMany(s => tokenizer.Encode(s.Text)).ToArray();
        return new PromptResponseIds(promptIds, tokenizer.Encode(segments[target].Text));
    }

    private static int LastTargetIndex(IReadOnlyList<ChatSegment> segments)
    {
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            if (segments[i].IsTarget)
            {
                return i;
            }
        }
        return -1;
    }
}
