using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Authoring;

public sealed class SftDuplicateIndexTests : IAsyncLifetime
{
    private const string Workspace = CurationFixture.Workspace;
    private TestDatabase _db = null!;
    private SftDuplicateIndex _index = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(_db.Factory);
        _index = new SftDuplicateIndex(_db.Factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static List<ChatMessage> Conversation(string question, string answer) =>
        [new(ChatRoles.User, question), new(ChatRoles.Assistant, answer)];

    [Fact]
    public async Task FindAsync_SameTextWithOtherWhitespaceAndWidth_IsAnExactDuplicate()
    {
        var matches = await _index.FindAsync(Workspace, Conversation("How do I bleed the  hydraulic line？", "Lock out first, then open the bleed valve.\n"), null);

        var match = Assert.Single(matches);
        Assert.Equal("sft-1", match.Key);
        Assert.True(match.Exact);
        Assert.Equal(1.0, match.Similarity);
    }

    [Fact]
    public async Task FindAsync_OneWordChanged_IsANearDuplicate()
    {
        var matches = await _index.FindAsync(Workspace, Conversation("How do I bleed the hydraulic line?", "Lock out first, then open the bleed valves."), null);

        var match = Assert.Single(matches);
        Assert.Equal("sft-1", match.Key);
        Assert.False(match.Exact);
        Assert.InRange(match.Similarity, SftDuplicateIndex.NearDuplicateThreshold, 0.999);
    }

    [Fact]
    public async Task FindAsync_UnrelatedOrEmpty_FindsNothing()
    {
        Assert.Empty(await _index.FindAsync(Workspace, Conversation("Where is the emergency stop?", "On the left of the panel."), null));
        Assert.Empty(await _index.FindAsync(Workspace, Conversation("", " "), null));
    }

    [Fact]
    public async Task FindAsync_TheExampleBeingEdited_IsNotItsOwnDuplicate()
    {
        await using var db = _db.CreateDbContext();
        var own = await db.SftExamples.SingleAsync(e => e.Key == "sft-1");

        var matches = await _index.FindAsync(Workspace, own.Messages, own.Id);

        Assert.Empty(matches);
    }

    [Fact]
    public async Task FindAsync_ExampleSavedAfterTheFirstSearch_IsFound()
    {
        var question = "Which grease for the slide gibs?";
        Assert.Empty(await _index.FindAsync(Workspace, Conversation(question, "Lithium EP2, weekly."), null));
        var authoring = new SftAuthoringService(_db.Factory, TimeProvider.System);
        var saved = await authoring.SaveDraftAsync(Workspace, "yamada", null, new SftContent(Conversation(question, "Lithium EP2, weekly."), null, []));

        var matches = await _index.FindAsync(Workspace, Conversation(question, "Lithium EP2, weekly!"), null);

        Assert.Equal(saved.Id, Assert.Single(matches).Id);
    }

    [Fact]
    public async Task FindAsync_ExampleEditedAfterTheFirstSearch_IsComparedAsEdited()
    {
        var authoring = new SftAuthoringService(_db.Factory, TimeProvider.System);
        var draft = await authoring.SaveDraftAsync(Workspace, "yamada", null, new SftContent(Conversation("Why does the clutch slip?", "Worn lining."), null, []));
        Assert.Single(await _index.FindAsync(Workspace, Conversation("Why does the clutch slip?", "Worn lining."), null));

        await authoring.SaveDraftAsync(Workspace, "yamada", draft.Id, new SftContent(Conversation("How tight is the belt?", "10 mm deflection."), null, []));

        Assert.Empty(await _index.FindAsync(Workspace, Conversation("Why does the clutch slip?", "Worn lining."), null));
    }
}
