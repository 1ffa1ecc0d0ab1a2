namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// The fallback for base models without a chat template (GPT-2 style): a system prompt as a paragraph, then
/// "### User:\n…\n\n" and "### Assistant:\n…" turns, each answer ended by the tokenizer's EOS token so that the
/// model learns where to stop.
/// </summary>
/// <remarks>Target = assistant content + EOS; the "\n\n" after it is prompt, as ChatML's "\n" after &lt;|im_end|&gt;.</remarks>
public sealed class PlainFormat : ChatFormat
{
    public const string UserHeader = "### User:\n";
    public const string AssistantHeader = "### Assistant:\n";

    public PlainFormat(string eosToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eosToken);
        EosToken = eosToken;
    }

    public string EosToken { get; }

    public override string Name => ChatFormats.Plain;

    private protected override void RenderCore(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatSegmentBuilder output)
    {
        foreach (var message in messages)
        {
            switch (message.Role)
            {
                case ChatRoles.System:
                    output.Prompt(message.Content + "\n\n");
                    break;
                case ChatRoles.User:
                    output.Prompt(UserHeader + message.Content + "\n\n");
                    break;
                default:
                    output.Prompt(AssistantHeader);
                    output.Target(message.Content + EosToken);
                    output.Prompt("\n\n");
                    break;
            }
        }
        if (addGenerationPrompt)
        {
            output.Prompt(AssistantHeader);
        }
    }
}
