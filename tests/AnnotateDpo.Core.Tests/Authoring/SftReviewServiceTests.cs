using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Authoring;

public sealed class SftReviewServiceTests
{
    private const string Workspace = CurationFixture.Workspace;

    private static async Task<(TestDatabase Db, SftAuthoringService Authoring, SftReviewService Review, SftExampleView Submitted)> ArrangeAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(db.Factory);
        var authoring = new SftAuthoringService(db.Factory, TimeProvider.System);
        var draft = await authoring.SaveDraftAsync(Workspace, "yamada", null, new SftContent(
            [new(ChatRoles.User, "The press stops at top dead centre."), new(ChatRoles.Assistant, "Check the brake air pressure.")], "safety", []));
        var submitted = await authoring.SubmitAsync(Workspace, "yamada", draft.Id);
        return (db, authoring, new SftReviewService(db.Factory, TimeProvider.System), submitted);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task QueueAsync_Workspace_HoldsOnlySubmittedExamples(DatabaseProvider provider)
    {
        var (db, _, review, submitted) = await ArrangeAsync(provider);
        await using var owned = db;

        var queue = await review.QueueAsync(Workspace);

        Assert.Equal(submitted.Id, Assert.Single(queue).Id);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ApproveAsync_Submitted_IsApprovedByTheReviewerAndLeavesTheQueue(DatabaseProvider provider)
    {
        var (db, _, review, submitted) = await ArrangeAsync(provider);
        await using var owned = db;

        var approved = await review.ApproveAsync(Workspace, submitted.Id, "boss");

        Assert.Equal(SftStatus.Approved, approved.Status);
        Assert.Empty(await review.QueueAsync(Workspace));
        await using var context = db.CreateDbContext();
        var stored = await context.SftExamples.SingleAsync(e => e.Id == submitted.Id);
        Assert.Equal(SftStatus.Approved, stored.Status);
        Assert.Equal("boss", stored.ReviewedBy);
        Assert.NotNull(stored.ReviewedAt);
        Assert.Equal(submitted.Messages, stored.Messages);
    }

    [Fact]
    public async Task ApproveAsync_WithEdits_StoresTheEditedConversationAndItsHash()
    {
        var (db, _, review, submitted) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;
        List<ChatMessage> edited = [new(ChatRoles.User, "The press stops at top dead centre."), new(ChatRoles.Assistant, "Lock out, then check the brake air pressure.")];

        await review.ApproveAsync(Workspace, submitted.Id, "boss", edited, "Added the lock-out step.");

        await using var context = db.CreateDbContext();
        var stored = await context.SftExamples.SingleAsync(e => e.Id == submitted.Id);
        Assert.Equal(edited, stored.Messages);
        Assert.Equal(ContentHash.ForSft(edited), stored.ContentHash);
        Assert.Equal("Added the lock-out step.", stored.ReviewComment);
    }

    [Fact]
    public async Task ApproveAsync_EditsWithoutAnAnswer_AreRefusedAndNothingChanges()
    {
        var (db, _, review, submitted) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var error = await Assert.ThrowsAsync<SftAuthoringException>(() =>
            review.ApproveAsync(Workspace, submitted.Id, "boss", [new(ChatRoles.User, "Only a question")]));

        Assert.Equal(ConversationProblem.LastTurnNotAssistant, error.Problem);
        Assert.Single(await review.QueueAsync(Workspace));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectAsync_WithComment_AuthorSeesTheOutcomeAndTheComment(DatabaseProvider provider)
    {
        var (db, authoring, review, submitted) = await ArrangeAsync(provider);
        await using var owned = db;

        await review.RejectAsync(Workspace, submitted.Id, "boss", "Name the valve.");

        var mine = Assert.Single(await authoring.ListMineAsync(Workspace, "yamada"));
        Assert.Equal(SftStatus.Rejected, mine.Status);
        Assert.Equal("Name the valve.", mine.ReviewComment);
        Assert.Equal("boss", mine.ReviewedBy);
    }

    [Fact]
    public async Task RejectAsync_WithoutComment_IsRefused()
    {
        var (db, _, review, submitted) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var error = await Assert.ThrowsAsync<SftAuthoringException>(() => review.RejectAsync(Workspace, submitted.Id, "boss", "  "));

        Assert.StartsWith("comment:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsync_AlreadyDecidedBySomeoneElse_IsRefused()
    {
        var (db, _, review, submitted) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;
        await review.RejectAsync(Workspace, submitted.Id, "first manager", "Too vague.");

        var error = await Assert.ThrowsAsync<SftAuthoringException>(() => review.ApproveAsync(Workspace, submitted.Id, "second manager"));

        Assert.Contains("rejected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_RejectedThenEdited_ReturnsToTheQueue()
    {
        var (db, authoring, review, submitted) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;
        await review.RejectAsync(Workspace, submitted.Id, "boss", "Name the valve.");

        var redrafted = await authoring.SaveDraftAsync(Workspace, "yamada", submitted.Id, new SftContent(
            [new(ChatRoles.User, "The press stops at top dead centre."), new(ChatRoles.Assistant, "Check the brake air pressure at valve V3.")], "safety", []));
        await authoring.SubmitAsync(Workspace, "yamada", submitted.Id);

        Assert.Equal(SftStatus.Draft, redrafted.Status);
        Assert.Equal("Name the valve.", redrafted.ReviewComment);
        Assert.Equal(submitted.Id, Assert.Single(await review.QueueAsync(Workspace)).Id);
    }
}
