using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Authoring;

public sealed class SftAuthoringServiceTests : IAsyncLifetime
{
    private const string Workspace = CurationFixture.Workspace;
    private TestDatabase _db = null!;
    private SftAuthoringService _authoring = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(_db.Factory);
        _authoring = new SftAuthoringService(_db.Factory, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static SftContent Content(params ChatMessage[] messages) => new(messages, "hydraulics", [" leak ", "leak", "pump"]);

    [Fact]
    public async Task SaveDraftAsync_NewThenUpdated_KeepsOneDraftOfTheAuthorWithoutEmptyMessages()
    {
        var created = await _authoring.SaveDraftAsync(Workspace, "yamada", null, Content(new ChatMessage(ChatRoles.System, ""), new ChatMessage(ChatRoles.User, "Pump is loud")));

        var updated = await _authoring.SaveDraftAsync(Workspace, "yamada", created.Id,
            Content(new ChatMessage(ChatRoles.User, "Pump is loud"), new ChatMessage(ChatRoles.Assistant, "Check the suction strainer.")));

        Assert.Equal(created.Id, updated.Id);
        await using var db = _db.CreateDbContext();
        var stored = await db.SftExamples.Include(e => e.Category).SingleAsync(e => e.AuthorId == "yamada");
        Assert.Equal(SftStatus.Draft, stored.Status);
        Assert.Equal(["user", "assistant"], stored.Messages.Select(m => m.Role));
        Assert.Equal("hydraulics", stored.Category?.Name);
        Assert.Equal(["leak", "pump"], stored.Tags);
        Assert.Equal(ContentHash.ForSft(stored.Messages), stored.ContentHash);
    }

    [Fact]
    public async Task SaveDraftAsync_AnotherAuthorsExample_IsRefused()
    {
        var draft = await _authoring.SaveDraftAsync(Workspace, "yamada", null, Content(new ChatMessage(ChatRoles.User, "Question")));

        var error = await Assert.ThrowsAsync<SftAuthoringException>(() =>
            _authoring.SaveDraftAsync(Workspace, "intruder", draft.Id, Content(new ChatMessage(ChatRoles.User, "Overwritten"))));

        Assert.Contains("yamada", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDraftAsync_UnknownCategory_NamesTheWorkspacesCategories()
    {
        var error = await Assert.ThrowsAsync<SftAuthoringException>(() =>
            _authoring.SaveDraftAsync(Workspace, "yamada", null, new SftContent([new ChatMessage(ChatRoles.User, "Q")], "welding", [])));

        Assert.Contains("'welding'", error.Message, StringComparison.Ordinal);
        Assert.Contains("hydraulics, safety", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_ConversationWithoutAnswer_IsRefusedWithTheProblem()
    {
        var draft = await _authoring.SaveDraftAsync(Workspace, "yamada", null, Content(new ChatMessage(ChatRoles.User, "Question only")));

        var error = await Assert.ThrowsAsync<SftAuthoringException>(() => _authoring.SubmitAsync(Workspace, "yamada", draft.Id));

        Assert.Equal(ConversationProblem.LastTurnNotAssistant, error.Problem);
    }

    [Fact]
    public async Task SubmitAsync_CompleteDraft_IsSubmittedAndNoLongerEditable()
    {
        var draft = await _authoring.SaveDraftAsync(Workspace, "yamada", null,
            Content(new ChatMessage(ChatRoles.User, "Question"), new ChatMessage(ChatRoles.Assistant, "Answer")));

        var submitted = await _authoring.SubmitAsync(Workspace, "yamada", draft.Id);

        Assert.Equal(SftStatus.Submitted, submitted.Status);
        await Assert.ThrowsAsync<SftAuthoringException>(() =>
            _authoring.SaveDraftAsync(Workspace, "yamada", draft.Id, Content(new ChatMessage(ChatRoles.User, "Changed after submitting"))));
        var mine = await _authoring.ListMineAsync(Workspace, "yamada");
        Assert.Equal(SftStatus.Submitted, Assert.Single(mine).Status);
    }

    [Fact]
    public async Task SetStarterPromptAsync_Category_IsOfferedByDescribe()
    {
        await _authoring.SetStarterPromptAsync(Workspace, "safety", "  Describe the hazard and the machine:  ");

        var described = await _authoring.DescribeAsync(Workspace);

        Assert.Equal("Describe the hazard and the machine:", described.Categories.Single(c => c.Name == "safety").StarterPrompt);
        Assert.Equal("", described.Categories.Single(c => c.Name == "hydraulics").StarterPrompt);
    }

    [Theory]
    [InlineData("system:S|user:Q|assistant:A", null)]
    [InlineData("system:S", ConversationProblem.NoTurns)]
    [InlineData("assistant:A", ConversationProblem.FirstTurnNotUser)]
    [InlineData("user:Q|assistant:A|user:Q2", ConversationProblem.LastTurnNotAssistant)]
    [InlineData("user:Q|assistant: ", ConversationProblem.EmptyTurn)]
    [InlineData("user:Q|system:S|assistant:A", ConversationProblem.MisplacedSystem)]
    public void FindProblem_Conversation_NamesTheFirstProblem(string conversation, ConversationProblem? expected)
    {
        var messages = conversation.Split('|').Select(part => part.Split(':')).Select(p => new ChatMessage(p[0], p[1])).ToList();

        var problem = SftConversation.FindProblem(messages);

        Assert.Equal(expected, problem);
    }
}
