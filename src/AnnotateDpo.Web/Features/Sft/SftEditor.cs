using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Web.Features.Sft;

/// <summary>One user or assistant turn in the editor; its role is fixed when the turn is added.</summary>
public sealed class EditorTurn(string role)
{
    public string Role { get; } = role;
    public string Content { get; set; } = "";
}

/// <summary>
/// The example being written: an optional system message, turns, category and tags as typed. Empty turns stay in
/// the editor (the author is about to fill them) but are not stored, and the submit rules see the turns as typed.
/// </summary>
public sealed class SftEditor
{
    /// <summary>Null until the first autosave creates the draft.</summary>
    public long? Id { get; set; }
    public string System { get; set; } = "";
    public List<EditorTurn> Turns { get; } = [new(ChatRoles.User), new(ChatRoles.Assistant)];
    public string? Category { get; set; }
    /// <summary>Comma-separated, as typed.</summary>
    public string Tags { get; set; } = "";
    public SftStatus Status { get; set; } = SftStatus.Draft;
    public string? ReviewComment { get; private set; }
    public string? ReviewedBy { get; private set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(System) && Turns.All(t => string.IsNullOrWhiteSpace(t.Content));

    /// <summary>The system message when there is one, then every turn, empty ones included.</summary>
    public IReadOnlyList<ChatMessage> Messages =>
        (string.IsNullOrWhiteSpace(System) ? [] : new[] { new ChatMessage(ChatRoles.System, System) })
        .Concat(Turns.Select(t => new ChatMessage(t.Role, t.Content))).ToList();

    public ConversationProblem? Problem => SftConversation.FindProblem(Messages);

    /// <summary>The next turn answers the last one: the assistant's after a user turn, the user's otherwise.</summary>
    public void AddTurn() =>
        Turns.Add(new EditorTurn(Turns.Count > 0 && Turns[^1].Role == ChatRoles.User ? ChatRoles.Assistant : ChatRoles.User));

    public void RemoveTurn(EditorTurn turn) => Turns.Remove(turn);

    /// <summary>Puts a category's starter prompt into the first user turn.</summary>
    public void UseStarterPrompt(string starterPrompt)
    {
        var first = Turns.FirstOrDefault(t => t.Role == ChatRoles.User);
        if (first is null)
        {
            first = new EditorTurn(ChatRoles.User);
            Turns.Insert(0, first);
        }
        first.Content = starterPrompt;
    }

    public SftContent ToContent() => new(
        Messages, Category,
        Tags.Split([',', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// An editor holding a stored example; a conversation that stops at the user's turn gets an empty assistant turn
    /// to answer in.
    /// </summary>
    public static SftEditor From(SftExampleView example)
    {
        var editor = new SftEditor
        {
            Id = example.Id,
            System = example.Messages.FirstOrDefault(m => m.Role == ChatRoles.System)?.Content ?? "",
            Category = example.Category,
            Tags = string.Join(", ", example.Tags),
            Status = example.Status,
            ReviewComment = example.ReviewComment,
            ReviewedBy = example.ReviewedBy,
        };
        editor.Turns.Clear();
        editor.Turns.AddRange(example.Messages.Where(m => m.Role != ChatRoles.System).Select(m => new EditorTurn(m.Role) { Content = m.Content }));
        if (editor.Turns.Count == 0 || editor.Turns[^1].Role == ChatRoles.User) editor.AddTurn();
        if (editor.Turns[0].Role != ChatRoles.User) editor.Turns.Insert(0, new EditorTurn(ChatRoles.User));
        return editor;
    }
}
