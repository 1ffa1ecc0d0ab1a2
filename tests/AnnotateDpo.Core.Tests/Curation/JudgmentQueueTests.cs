using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Curation;

public sealed class JudgmentQueueTests : IAsyncLifetime
{
    private const string Workspace = "press line";
    private TestDatabase _db = null!;
    private JudgmentQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        _queue = new JudgmentQueue(_db.Factory, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>A workspace with two categories (pair target 4 each) and pairs named by key, each with its judges.</summary>
    private async Task<Dictionary<string, long>> SeedAsync(params (string Key, string Category, string[] JudgedBy)[] pairs)
    {
        await using var db = _db.CreateDbContext();
        var workspace = new Workspace
        {
            Name = Workspace, CreatedAt = DateTime.UtcNow, Guidelines = "# Rules",
            Categories = [new Category { Name = "hydraulics", PairTarget = 4 }, new Category { Name = "safety", PairTarget = 4 }],
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        foreach (var (key, category, judgedBy) in pairs)
        {
            db.PreferencePairs.Add(new PreferencePair
            {
                WorkspaceId = workspace.Id, Key = key, CategoryId = workspace.Categories.Single(c => c.Name == category).Id,
                Prompt = [new ChatMessage(ChatRoles.User, $"question {key}")],
                ResponseA = new PairResponse { Text = $"A of {key}" }, ResponseB = new PairResponse { Text = $"B of {key}" },
                AuthorId = "import", CreatedAt = DateTime.UtcNow, ContentHash = key,
                Judgments = judgedBy.Select(a => new Judgment { Key = $"{key}-{a}", AnnotatorId = a, Verdict = Verdict.A, Strength = VerdictStrength.Clear, CreatedAt = DateTime.UtcNow }).ToList(),
            });
        }
        await db.SaveChangesAsync();
        return await db.PreferencePairs.ToDictionaryAsync(p => p.Key, p => p.Id);
    }

    private Task<Judgment> SubmitAsync(long pairId, string annotator, ShownVerdict verdict, VerdictStrength? strength = VerdictStrength.Clear) =>
        _queue.SubmitAsync(new JudgmentSubmission(pairId, annotator, verdict, strength, null, ShownOrder.AB, 3.5));

    [Fact]
    public async Task NextAsync_PairsBelowAndAtOverlapTarget_ServesTheOneBelowTarget()
    {
        await SeedAsync(("full", "hydraulics", ["sato", "chen"]), ("half", "hydraulics", ["sato"]));

        var view = await _queue.NextAsync(Workspace, "tanaka", []);

        Assert.Equal("half", view.Pair?.PairKey);
        Assert.Equal(new JudgingProgress(0, 2), view.Progress);
    }

    [Fact]
    public async Task NextAsync_OneCategoryCloserToItsTarget_ServesTheCategoryFurthestFromIt()
    {
        await SeedAsync(
            ("h-done-1", "hydraulics", ["sato", "chen"]), ("h-done-2", "hydraulics", ["sato", "chen"]), ("h-open", "hydraulics", []),
            ("s-done", "safety", ["sato", "chen"]), ("s-open", "safety", []));

        var view = await _queue.NextAsync(Workspace, "tanaka", []);

        Assert.Equal("s-open", view.Pair?.PairKey);
    }

    [Fact]
    public async Task NextAsync_AfterJudgingOrSkipping_ServesAnotherPairAndNullAtTheEnd()
    {
        var ids = await SeedAsync(("one", "hydraulics", []), ("two", "hydraulics", []), ("three", "safety", ["tanaka"]));

        var first = await _queue.NextAsync(Workspace, "tanaka", []);
        await SubmitAsync(first.Pair!.PairId, "tanaka", ShownVerdict.Tie);
        var second = await _queue.NextAsync(Workspace, "tanaka", []);
        var afterSkip = await _queue.NextAsync(Workspace, "tanaka", [second.Pair!.PairId]);

        Assert.Equal(new JudgingProgress(1, 3), first.Progress);
        Assert.Equal(new JudgingProgress(2, 3), second.Progress);
        Assert.NotEqual(first.Pair.PairId, second.Pair.PairId);
        Assert.DoesNotContain(ids["three"], new[] { first.Pair.PairId, second.Pair.PairId });
        Assert.Null(afterSkip.Pair);
    }

    [Fact]
    public async Task NextAsync_TwoAnnotatorsAtOnceAndOnePairOneShortOfTarget_ServesThemDifferentPairs()
    {
        await SeedAsync(("one-short", "hydraulics", ["sato"]), ("open", "hydraulics", []));

        var tanaka = await _queue.NextAsync(Workspace, "tanaka", []);
        var chen = await _queue.NextAsync(Workspace, "chen", []);
        await SubmitAsync(tanaka.Pair!.PairId, "tanaka", ShownVerdict.Tie);
        var chenAfterTanakaJudged = await _queue.NextAsync(Workspace, "chen", []);

        Assert.Equal("one-short", tanaka.Pair.PairKey);
        Assert.Equal("open", chen.Pair?.PairKey);
        Assert.Equal("open", chenAfterTanakaJudged.Pair?.PairKey);
    }

    [Fact]
    public async Task NextAsync_OtherAnnotatorsScreenLeaseExpired_ServesTheirPairAgain()
    {
        var clock = new ManualClock();
        var queue = new JudgmentQueue(_db.Factory, clock);
        await SeedAsync(("one-short", "hydraulics", ["sato"]), ("open", "hydraulics", []));

        await queue.NextAsync(Workspace, "tanaka", []);
        clock.Advance(JudgmentQueue.ScreenLease);
        var chen = await queue.NextAsync(Workspace, "chen", []);

        Assert.Equal("one-short", chen.Pair?.PairKey);
    }

    [Fact]
    public async Task SubmitAsync_SecondVerdictOnSamePair_AppendsARowThatSupersedesTheFirst()
    {
        var ids = await SeedAsync(("one", "hydraulics", ["sato"]));

        var first = await SubmitAsync(ids["one"], "tanaka", ShownVerdict.Left);
        var second = await SubmitAsync(ids["one"], "tanaka", ShownVerdict.BothBad, VerdictStrength.Strong);

        await using var db = _db.CreateDbContext();
        var rows = await db.Judgments.Where(j => j.AnnotatorId == "tanaka").OrderBy(j => j.Id).ToListAsync();
        Assert.Equal([first.Id, second.Id], rows.Select(r => r.Id));
        Assert.Null(rows[0].SupersedesId);
        Assert.Equal(Verdict.A, rows[0].Verdict);
        Assert.Equal(first.Id, rows[1].SupersedesId);
        Assert.Equal(Verdict.BothBad, rows[1].Verdict);
        Assert.Null(rows[1].Strength);
        Assert.Equal(3.5, rows[1].SecondsSpent);
    }

    [Fact]
    public async Task SubmitAsync_LeftWithoutStrength_ThrowsNamingStrengthAndWritesNothing()
    {
        var ids = await SeedAsync(("one", "hydraulics", []));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SubmitAsync(ids["one"], "tanaka", ShownVerdict.Left, strength: null));

        Assert.StartsWith("Strength", error.Message, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.Judgments.CountAsync());
    }

    [Theory]
    [InlineData(ShownVerdict.Left, ShownOrder.AB, Verdict.A)]
    [InlineData(ShownVerdict.Left, ShownOrder.BA, Verdict.B)]
    [InlineData(ShownVerdict.Right, ShownOrder.AB, Verdict.B)]
    [InlineData(ShownVerdict.Right, ShownOrder.BA, Verdict.A)]
    [InlineData(ShownVerdict.Tie, ShownOrder.BA, Verdict.Tie)]
    [InlineData(ShownVerdict.BothBad, ShownOrder.BA, Verdict.BothBad)]
    public async Task SubmitAsync_ShownVerdictAndOrder_StoresVerdictAboutAAndBAndTheOrder(ShownVerdict shown, ShownOrder order, Verdict expected)
    {
        var ids = await SeedAsync(("one", "hydraulics", []));

        var judgment = await _queue.SubmitAsync(new JudgmentSubmission(ids["one"], "tanaka", shown, VerdictStrength.Slight, "  why  ", order, 12));

        await using var db = _db.CreateDbContext();
        var stored = await db.Judgments.SingleAsync(j => j.Id == judgment.Id);
        Assert.Equal(expected, stored.Verdict);
        Assert.Equal(order, stored.ShownOrder);
        Assert.Equal("why", stored.Rationale);
    }

    [Fact]
    public async Task SubmitAsync_TwoAnnotatorsAtOnceFromTwoContexts_KeepsEveryRow()
    {
        var ids = await SeedAsync(("one", "hydraulics", []), ("two", "hydraulics", []));
        var other = new JudgmentQueue(_db.Factory, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            Task.Run(() => SubmitAsync(ids[i % 2 == 0 ? "one" : "two"], "tanaka", ShownVerdict.Left)),
            Task.Run(() => other.SubmitAsync(new JudgmentSubmission(ids[i % 2 == 0 ? "one" : "two"], "sato", ShownVerdict.Tie, null, null, ShownOrder.BA, 1))),
        }));

        await using var db = _db.CreateDbContext();
        Assert.Equal(10, await db.Judgments.CountAsync(j => j.AnnotatorId == "tanaka"));
        Assert.Equal(10, await db.Judgments.CountAsync(j => j.AnnotatorId == "sato"));
    }

    [Fact]
    public async Task NextAsync_SameAnnotatorAndPair_ShowsTheSameOrderEveryTimeAndPlacesResponsesByIt()
    {
        await SeedAsync(("one", "hydraulics", []));

        var first = await _queue.NextAsync(Workspace, "tanaka", []);
        var again = await _queue.NextAsync(Workspace, "tanaka", []);

        Assert.Equal(first.Pair!.ShownOrder, again.Pair!.ShownOrder);
        Assert.Equal(JudgmentQueue.OrderFor("tanaka", "one"), first.Pair.ShownOrder);
        Assert.Equal(first.Pair.ShownOrder == ShownOrder.AB ? "A of one" : "B of one", first.Pair.Left);
    }

    [Fact]
    public void OrderFor_ManyAnnotatorsAndPairs_ShowsBothOrdersRoughlyEqually()
    {
        var orders = Enumerable.Range(0, 400).Select(i => JudgmentQueue.OrderFor($"annotator-{i % 7}", $"pair-{i}")).ToList();

        var ab = orders.Count(o => o == ShownOrder.AB);

        Assert.InRange(ab, 150, 250);
    }

    [Fact]
    public async Task UndoLastAsync_AfterTwoJudgments_ServesTheLastPairWithItsVerdictAndDeletesNothing()
    {
        var ids = await SeedAsync(("one", "hydraulics", []), ("two", "hydraulics", []));
        await SubmitAsync(ids["one"], "tanaka", ShownVerdict.Tie);
        var last = await _queue.SubmitAsync(new JudgmentSubmission(ids["two"], "tanaka", ShownVerdict.Right, VerdictStrength.Strong, "unsafe", ShownOrder.BA, 4));

        var undo = await _queue.UndoLastAsync(Workspace, "tanaka");
        var revision = await SubmitAsync(ids["two"], "tanaka", ShownVerdict.Left);

        Assert.Equal(ids["two"], undo.Pair?.PairId);
        Assert.Equal(ShownOrder.BA, undo.Pair!.ShownOrder);
        Assert.Equal(new PreviousJudgment(ShownVerdict.Right, VerdictStrength.Strong, "unsafe"), undo.Pair.Revising);
        Assert.Equal(new JudgingProgress(2, 2), undo.Progress);
        Assert.Equal(last.Id, revision.SupersedesId);
        await using var db = _db.CreateDbContext();
        Assert.Equal(3, await db.Judgments.CountAsync());
    }

    [Fact]
    public async Task DescribeAsync_WorkspaceWithJudgments_ListsItsAnnotatorsAndGuidelines()
    {
        await SeedAsync(("one", "hydraulics", ["sato", "chen", "import"]));

        var described = await _queue.DescribeAsync(Workspace);

        Assert.Equal(["chen", "sato"], described.KnownAnnotators);
        Assert.Equal("# Rules", described.Guidelines);
        Assert.Equal(Domain.Workspace.DefaultOverlapTarget, described.OverlapTarget);
        await Assert.ThrowsAsync<WorkspaceNotFoundException>(() => _queue.DescribeAsync("missing"));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
