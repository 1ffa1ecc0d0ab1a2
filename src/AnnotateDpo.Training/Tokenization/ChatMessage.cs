namespace AnnotateDpo.Training.Tokenization;

/// <summary>One turn of a conversation, in the shape Hugging Face chat templates take (<c>{"role", "content"}</c>).</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>The roles every chat format understands.</summary>
public static class ChatRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
