namespace AnnotateDpo.Training.Tokenization;

/// <summary>The dated system header of Llama 3.1/3.2 templates: "Cutting Knowledge Date: …\nToday Date: …\n\n".</summary>
public sealed record Llama3DateHeader(string KnowledgeCutoff, string TodayDate);

/// <summary>
/// Llama-3 Instruct: BOS, then <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>
/// per message, content trimmed as the template's <c>| trim</c> does. With a <see cref="Llama3DateHeader"/> (3.1+),
/// a system message is always rendered first, holding the header and the (trimmed) system prompt, if any.
/// </summary>
/// <remarks>Target = assistant content + <c>&lt;|eot_id|&gt;</c>, the Llama-3 counterpart of ChatML's content + <c>&lt;|im_end|&gt;</c>.</remarks>
public sealed class Llama3Format : ChatFormat
{
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";

    public Llama3Format(string bosToken, Llama3DateHeader? dateHeader = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(bosToken);
        BosToken = bosToken;
        DateHeader = dateHeader;
    }

    public string BosToken { get; }
    public Llama3DateHeader? DateHeader { get; }

    public override string Name => ChatFormats.Llama3;

    private protected override void RenderCore(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatSegmentBuilder output)
    {
        output.Prompt(BosToken);
        var rest = messages.AsEnumerable();
        if (DateHeader is not null)
        {
            var systemPrompt = messages[0].Role == ChatRoles.System ? PythonStrip(messages[0].Content) : "";
            output.Prompt($"{Header(ChatRoles.System)}Cutting Knowledge Date: {DateHeader.KnowledgeCutoff}\nToday Date: {DateHeader.TodayDate}\n\n{systemPrompt}{EndOfTurn}");
            rest = messages[0].Role == ChatRoles.System ? messages.Skip(1) : messages;
        }
        foreach (var message in rest)
        {
            if (message.Role == ChatRoles.Assistant)
            {
                output.Prompt(Header(message.Role));
                output.Target(PythonStrip(message.Content) + EndOfTurn);
            }
            else
            {
                output.Prompt(Header(message.Role) + PythonStrip(message.Content) + EndOfTurn);
            }
        }
        if (addGenerationPrompt)
        {
            output.Prompt(Header(ChatRoles.Assistant));
        }
    }

    private static string Header(string role) => $"{StartHeader}{role}{EndHeader}\n\n";

    /// <summary>Jinja's trim is Python's str.strip(), whose whitespace also includes U+001C–U+001F, unlike .NET's.</summary>
    private static string PythonStrip(string text)
    {
        static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonSpace(text[start]))
        {
            start++;
        }
        while (end > start && IsPythonSpace(text[end - 1]))
        {
            end--;
        }
        return text[start..end];
    }
}
