using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Curation;

public sealed class PairRewriterTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private PairRewriter _rewriter = null!;
    private long _pairId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        _rewriter = new PairRewriter(_db.Factory, TimeProvider.System);
        await using var db = _db.CreateDbContext();
        var workspace = new Workspace { Name = "press line", CreatedAt = DateTime.UtcNow, Categories = [new Category { Name = "safety", PairTarget = 4 }] };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var pair = new PreferencePair
        {
            WorkspaceId = workspace.Id, Key = "pair-1", CategoryId = workspace.Categories[0].Id, Tags = ["loto"],
            Prompt = [new ChatMessage(ChatRoles.System, "Be brief."), new ChatMessage(ChatRoles.User, "The press stalls. What now?")],
            ResponseA = new PairResponse { Text = "Restart it.", Origin = ResponseOrigin.Model, Model = "tiny", Run = "run-3" },
            ResponseB = new PairResponse { Text = "Lock out, then inspect." },
            AuthorId = "import", CreatedAt = DateTime.UtcNow, ContentHash = "hash-1",
        };
        db.PreferencePairs.Add(pair);
        await db.SaveChangesAsync();
        _pairId = pair.Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private PairRewrite Rewrite(PairSide from = PairSide.A, string text = "Lock out, wait for the flywheel to stop, then inspect.", bool alsoSft = false, ShownOrder order = ShownOrder.AB) =>
        new(_pairId, "tanaka", from, text, order, alsoSft, 42);

    [Fact]
    public async Task SaveAsync_RewriteOfA_AddsPairWithEditedChosenOverOriginalAndTheAuthorsVerdict()
    {
        var result = await _rewriter.SaveAsync(Rewrite(PairSide.A, "  Lock out first.  "));

        await using var db = _db.CreateDbContext();
        var pair = await db.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.Key == result.PairKey);
        var original = await db.PreferencePairs.SingleAsync(p => p.Id == _pairId);
        Assert.Equal("Lock out first.", pair.ResponseA.Text);
        Assert.Equal(ResponseOrigin.Edited, pair.ResponseA.Origin);
        Assert.Equal("pair-1", pair.ResponseA.EditedFromPairKey);
        Assert.Equal("Restart it.", pair.ResponseB.Text);
        Assert.Equal(ResponseOrigin.Model, pair.ResponseB.Origin);
        Assert.Equal("tiny", pair.ResponseB.Model);
        Assert.Equal(original.Prompt, pair.Prompt);
        Assert.Equal(original.CategoryId, pair.CategoryId);
        Assert.Equal(["loto"], pair.Tags);
        Assert.Equal("tanaka", pair.AuthorId);
        var judgment = Assert.Single(pair.Judgments);
        Assert.Equal(("tanaka", Verdict.A, VerdictStrength.Strong, 42.0), (judgment.AnnotatorId, judgment.Verdict, judgment.Strength, judgment.SecondsSpent));
        Assert.Null(result.SftKey);
        Assert.Equal(0, await db.SftExamples.CountAsync());
    }

    [Theory]
    [InlineData(PairSide.A, ShownOrder.AB, ShownOrder.AB)]
    [InlineData(PairSide.A, ShownOrder.BA, ShownOrder.BA)]
    [InlineData(PairSide.B, ShownOrder.AB, ShownOrder.BA)]
    [InlineData(PairSide.B, ShownOrder.BA, ShownOrder.AB)]
    public async Task SaveAsync_RewrittenSideAndOrderSeen_RecordsTheEditedAnswerWhereTheOriginalStood(PairSide from, ShownOrder seen, ShownOrder recorded)
    {
        var result = await _rewriter.SaveAsync(Rewrite(from, order: seen));

        await using var db = _db.CreateDbContext();
        var judgment = await db.Judgments.SingleAsync(j => db.PreferencePairs.Any(p => p.Key == result.PairKey && p.Id == j.PairId));
        Assert.Equal(recorded, judgment.ShownOrder);
        var pair = await db.PreferencePairs.SingleAsync(p => p.Key == result.PairKey);
        Assert.Equal(from == PairSide.A ? "Restart it." : "Lock out, then inspect.", pair.ResponseB.Text);
    }

    [Fact]
    public async Task SaveAsync_AlsoSftExample_AddsSubmittedExampleByTheAuthorWithThePromptAndTheAnswer()
    {
        var result = await _rewriter.SaveAsync(Rewrite(PairSide.B, alsoSft: true));

        await using var db = _db.CreateDbContext();
        var example = await db.SftExamples.SingleAsync();
        Assert.Equal(result.SftKey, example.Key);
        Assert.Equal(SftStatus.Submitted, example.Status);
        Assert.Equal("tanaka", example.AuthorId);
        Assert.Equal(
            [new ChatMessage(ChatRoles.System, "Be brief."), new ChatMessage(ChatRoles.User, "The press stalls. What now?"), new ChatMessage(ChatRoles.Assistant, "Lock out, wait for the flywheel to stop, then inspect.")],
            example.Messages);
        Assert.Equal(["loto"], example.Tags);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(" Restart   it. ")]
    public async Task SaveAsync_EmptyOrUnchangedText_ThrowsNamingTextAndWritesNothing(string text)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _rewriter.SaveAsync(Rewrite(PairSide.A, text, alsoSft: true)));

        Assert.StartsWith("Text:", error.Message, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Equal(1, await db.PreferencePairs.CountAsync());
        Assert.Equal(0, await db.SftExamples.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_SameRewriteTwice_ThrowsNamingTheExistingPairAndAddsNothingMore()
    {
        var first = await _rewriter.SaveAsync(Rewrite(alsoSft: true));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _rewriter.SaveAsync(Rewrite(alsoSft: true)));

        Assert.Contains(first.PairKey, error.Message, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Equal(2, await db.PreferencePairs.CountAsync());
        Assert.Equal(1, await db.SftExamples.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_SftExampleAlreadyInWorkspace_ThrowsAndAddsNoPairEither()
    {
        await _rewriter.SaveAsync(Rewrite(PairSide.A, alsoSft: true));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _rewriter.SaveAsync(Rewrite(PairSide.B, alsoSft: true)));

        Assert.Contains("SFT example", error.Message, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Equal(2, await db.PreferencePairs.CountAsync());
    }
}
