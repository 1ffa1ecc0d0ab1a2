namespace AnnotateDpo.Training.Tokenization;

/// <summary>A piece of a rendered conversation. <see cref="IsTarget"/> marks text the model is trained to produce.</summary>
public readonly record struct ChatSegment(string Text, bool IsTarget);

/// <summary>
/// A chat template implemented in C#: renders a conversation into the exact string transformers'
/// <c>apply_chat_template</c> produces, as ordered segments. Concatenating the segments gives that string; each
/// assistant turn yields exactly one target segment (its content and end-of-turn token), everything else is prompt.
/// Adjacent prompt text is merged into one segment, so the tokenizer sees as few artificial boundaries as possible.
/// </summary>
public abstract class ChatFormat
{
    private protected ChatFormat()
    {
    }

    /// <summary>The name <see cref="ChatFormats.FromName"/> accepts.</summary>
    public abstract string Name { get; }

    public IReadOnlyList<ChatSegment> Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one message.", nameof(messages));
        }
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { Role: ChatRoles.System or ChatRoles.User or ChatRoles.Assistant, Content: not null })
            {
                throw new ArgumentException(
                    $"Message {i} has role '{messages[i]?.Role}'; expected system, user or assistant with non-null content.", nameof(messages));
            }
        }
        var output = new ChatSegmentBuilder();
        RenderCore(messages, addGenerationPrompt, output);
        return output.Build();
    }

    public string RenderText(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        string.Concat(Render(messages, addGenerationPrompt).Select(s => s.Text));

    private protected abstract void RenderCore(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatSegmentBuilder output);

    public override string ToString() => Name;
}

internal sealed class ChatSegmentBuilder
{
    private readonly List<ChatSegment> _segments = [];
    private readonly System.Text.StringBuilder _prompt = new();

    public void Prompt(string text) => _prompt.Append(text);

    public void Target(string text)
    {
        FlushPrompt();
        _segments.Add(new ChatSegment(text, IsTarget: true));
    }

    public IReadOnlyList<ChatSegment> Build()
    {
        FlushPrompt();
        return _segments;
    }

    private void FlushPrompt()
    {
        if (_prompt.Length > 0)
        {
            _segments.Add(new ChatSegment(_prompt.ToString(), IsTarget: false));
            _prompt.Clear();
        }
    }
}
