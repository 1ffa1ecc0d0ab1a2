namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// ChatML as Qwen2.5 and SmolLM2 write it: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message,
/// with the model's default system prompt when the conversation does not start with a system message.
/// </summary>
/// <remarks>
/// Target = assistant content + <c>&lt;|im_end|&gt;</c>: what a <c>{% generation %}</c> block covers in ChatML
/// templates (TRL's assistant_only_loss), so the model learns both the answer and when to stop. The role header is
/// prompt, and the "\n" after <c>&lt;|im_end|&gt;</c> is prompt too: generation stops at <c>&lt;|im_end|&gt;</c>,
/// so the model never has to produce it.
/// </remarks>
public sealed class ChatMlFormat(string? defaultSystemPrompt) : ChatFormat
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>Rendered as the system message when a conversation has none (Qwen's "You are Qwen, …").</summary>
    public string? DefaultSystemPrompt { get; } = defaultSystemPrompt;

    public override string Name => ChatFormats.ChatMl;

    private protected override void RenderCore(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatSegmentBuilder output)
    {
        if (DefaultSystemPrompt is not null && messages[0].Role != ChatRoles.System)
        {
            output.Prompt($"{ImStart}{ChatRoles.System}\n{DefaultSystemPrompt}{ImEnd}\n");
        }
        foreach (var message in messages)
        {
            if (message.Role == ChatRoles.Assistant)
            {
                output.Prompt($"{ImStart}{ChatRoles.Assistant}\n");
                output.Target(message.Content + ImEnd);
                output.Prompt("\n");
            }
            else
            {
                output.Prompt($"{ImStart}{message.Role}\n{message.Content}{ImEnd}\n");
            }
        }
        if (addGenerationPrompt)
        {
            output.Prompt($"{ImStart}{ChatRoles.Assistant}\n");
        }
    }
}
