using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Authoring;

/// <summary>Why a conversation cannot be submitted for review yet.</summary>
public enum ConversationProblem
{
    /// <summary>No user and assistant turns.</summary>
    NoTurns,
    /// <summary>The first turn after the optional system message is not the user's.</summary>
    FirstTurnNotUser,
    /// <summary>The last turn is not the assistant's answer, the training target.</summary>
    LastTurnNotAssistant,
    /// <summary>A turn has no text.</summary>
    EmptyTurn,
    /// <summary>A system message after the first message.</summary>
    MisplacedSystem,
}

/// <summary>The shape an SFT example needs to be reviewed and trained on; the importer holds files to the same rules.</summary>
public static class SftConversation
{
    /// <returns>The first problem found, or null when the conversation can be submitted.</returns>
    public static ConversationProblem? FindProblem(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Skip(1).Any(m => m.Role == ChatRoles.System)) return ConversationProblem.MisplacedSystem;
        if (messages.Any(m => string.IsNullOrWhiteSpace(m.Content))) return ConversationProblem.EmptyTurn;
        var turns = messages.SkipWhile((m, i) => i == 0 && m.Role == ChatRoles.System).ToList();
        if (turns.Count == 0) return ConversationProblem.NoTurns;
        if (turns[0].Role != ChatRoles.User) return ConversationProblem.FirstTurnNotUser;
        if (turns[^1].Role != ChatRoles.Assistant) return ConversationProblem.LastTurnNotAssistant;
        return null;
    }

    /// <summary>The text that duplicate detection compares: every message's content, one per line.</summary>
    public static string ComparableText(IReadOnlyList<ChatMessage> messages) =>
        string.Join('\n', messages.Select(m => m.Content));
}
