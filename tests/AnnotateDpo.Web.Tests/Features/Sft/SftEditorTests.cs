using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Web.Features.Sft;

namespace AnnotateDpo.Web.Tests.Features.Sft;

public sealed class SftEditorTests
{
    [Fact]
    public void AddTurn_AfterEachRole_AddsTheOtherRole()
    {
        var editor = new SftEditor();

        editor.AddTurn();
        editor.AddTurn();

        Assert.Equal([ChatRoles.User, ChatRoles.Assistant, ChatRoles.User, ChatRoles.Assistant], editor.Turns.Select(t => t.Role));
    }

    [Fact]
    public void UseStarterPrompt_EmptyEditor_FillsTheFirstUserTurn()
    {
        var editor = new SftEditor();

        editor.UseStarterPrompt("Machine:\nSymptom:");

        Assert.Equal("Machine:\nSymptom:", editor.Turns[0].Content);
        Assert.False(editor.IsEmpty);
    }

    [Fact]
    public void From_StoredDraftEndingWithTheUser_AddsAnAssistantTurnToAnswerIn()
    {
        var stored = new SftExampleView(7, "sft-7", "safety", [new(ChatRoles.System, "Be brief."), new(ChatRoles.User, "Q")], ["a", "b"],
            "tanaka", SftStatus.Rejected, "Name the valve.", "boss", DateTime.UtcNow, DateTime.UtcNow);

        var editor = SftEditor.From(stored);

        Assert.Equal("Be brief.", editor.System);
        Assert.Equal([ChatRoles.User, ChatRoles.Assistant], editor.Turns.Select(t => t.Role));
        Assert.Equal("a, b", editor.Tags);
        Assert.Equal("Name the valve.", editor.ReviewComment);
        Assert.Equal(ConversationProblem.EmptyTurn, editor.Problem);
    }

    [Fact]
    public void ToContent_TagsWithCommasOfBothWidths_SplitsAndTrims()
    {
        var editor = new SftEditor { Tags = " leak, pump、 hose ,," };

        var content = editor.ToContent();

        Assert.Equal(["leak", "pump", "hose"], content.Tags);
    }
}
