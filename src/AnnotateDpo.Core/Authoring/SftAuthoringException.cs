namespace AnnotateDpo.Core.Authoring;

/// <summary>An authoring or review step that the example's state or the input does not allow; the message says why.</summary>
public sealed class SftAuthoringException(string message, ConversationProblem? problem = null) : Exception(message)
{
    /// <summary>Set when the conversation's shape is the reason, so that a page can explain it in its own language.</summary>
    public ConversationProblem? Problem { get; } = problem;
}
