namespace AnnotateDpo.Core.Domain;

public static class ChatRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}

public sealed record ChatMessage(string Role, string Content);
