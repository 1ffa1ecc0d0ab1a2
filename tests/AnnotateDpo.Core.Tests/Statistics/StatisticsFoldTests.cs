using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Core.Tests.Statistics;

/// <summary>
/// The statistics' tables folded a few judgments at a time hold what folding every judgment at once gives, and no
/// judgment is lost or counted twice when rows disappear, land below the watermark, or two processes fold together.
/// </summary>
public sealed class StatisticsFoldTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CatchUpAsync_JudgmentsAddedBetweenReads_TablesEqualAFoldOfEveryJudgmentAtOnce(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        await CatchUpAsync(database);
        var random = new Random(17);
        for (var round = 0; round < 4; round++)
        {
            await AddJudgmentsAsync(database, random, 6);
            await CatchUpAsync(database);
        }
        var folded = await ReadTablesAsync(database);

        await ForceRebuildAsync(database);
        await CatchUpAsync(database);

        Assert.Equivalent(await ReadTablesAsync(database), folded, strict: true);
        await using var db = database.CreateDbContext();
        var days = await db.JudgingDays.SumAsync(d => d.Judgments);
        Assert.Equal(await db.Judgments.CountAsync(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator), days);
        Assert.Equal(days, await db.JudgingPaces.SumAsync(p => p.Judgments));
    }

    [Fact]
    public async Task GetAsync_JudgmentsAddedAfterAReport_TheNextReportCountsThem()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var before = await Service(database).GetAsync(CurationFixture.Workspace);

        await AddJudgmentsAsync(database, new Random(3), 5);
        var after = await Service(database).GetAsync(CurationFixture.Workspace);

        Assert.Equal(before.Progress.Annotators.Sum(a => a.Judgments) + 5, after.Progress.Annotators.Sum(a => a.Judgments));
        Assert.Equal(5, after.Progress.Annotators.Single(a => a.Annotator == "new-annotator").Judgments);
    }

    [Fact]
    public async Task CatchUpAsync_PairDeletedAfterAFold_RebuildsWithoutItsJudgments()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var before = await Service(database).GetAsync(CurationFixture.Workspace);
        await using (var db = database.CreateDbContext())
        {
            var pair = await db.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.Key == "pair-majority");
            db.PreferencePairs.Remove(pair);
            await db.SaveChangesAsync();
        }

        var after = await Service(database).GetAsync(CurationFixture.Workspace);

        Assert.Equal(before.Stats.Pairs.Total - 1, after.Stats.Pairs.Total);
        Assert.Equal(before.Stats.Pairs.Resolved - 1, after.Stats.Pairs.Resolved);
        Assert.True(after.Progress.Annotators.Sum(a => a.Judgments) < before.Progress.Annotators.Sum(a => a.Judgments));
        await using var check = database.CreateDbContext();
        Assert.Equal(await check.Judgments.CountAsync(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator),
            await check.JudgingDays.SumAsync(d => d.Judgments));
    }

    [Fact]
    public async Task GetAsync_CategoryDeletedAfterAFold_CountsItsPairsUnderNoCategory()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var before = await Service(database).GetAsync(CurationFixture.Workspace);
        var hydraulics = before.Stats.Categories.Single(c => c.Name == "hydraulics");
        await using (var db = database.CreateDbContext())
            await db.Categories.Where(c => c.Name == "hydraulics").ExecuteDeleteAsync();

        var after = await Service(database).GetAsync(CurationFixture.Workspace);

        var uncategorised = Assert.Single(after.Stats.Categories, c => c.Name is null);
        Assert.Equal(hydraulics.Pairs, uncategorised.Pairs);
        Assert.Equal(before.Stats.Pairs, after.Stats.Pairs);
    }

    /// <summary>PostgreSQL hands out ids when a row is written, not when its transaction commits: a judgment can become visible below the watermark.</summary>
    [Fact]
    public async Task CatchUpAsync_JudgmentLandingBelowTheWatermark_IsCountedAfterARebuild()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        long gap;
        await using (var db = database.CreateDbContext())
        {
            // Leave a free id below the last one, fold, then fill it, as a transaction committing late would.
            var filler = await AddOneAsync(db, "late-annotator");
            await AddOneAsync(db, "tanaka");
            gap = filler.Id;
            db.Judgments.Remove(filler);
            await db.SaveChangesAsync();
        }
        await CatchUpAsync(database);
        await using (var db = database.CreateDbContext())
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "Judgments" ("Id", "Key", "PairId", "AnnotatorId", "Verdict", "ShownOrder", "SecondsSpent", "CreatedAt", "IsFinal") """ +
                """SELECT {0}, 'late', "PairId", 'late-annotator', 'A', 'AB', 12.5, "CreatedAt", {1} FROM "Judgments" WHERE "Id" = (SELECT MAX("Id") FROM "Judgments")""",
                gap, false);

        var progress = await new ProgressStatsService(database.Factory).GetAsync(CurationFixture.Workspace);

        Assert.Equal(new AnnotatorPace("late-annotator", 1, 12.5), Assert.Single(progress.Annotators, a => a.Annotator == "late-annotator"));
    }

    [Fact]
    public async Task CatchUpAsync_TwoProcessesAtOnce_CountEachJudgmentOnce()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await AddJudgmentsAsync(database, new Random(5), 20);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => CatchUpAsync(database))));

        await using var db = database.CreateDbContext();
        Assert.Equal(await db.Judgments.CountAsync(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator),
            await db.JudgingPaces.SumAsync(p => p.Judgments));
        var mark = await db.StatisticsWatermarks.SingleAsync();
        Assert.Equal(await db.Judgments.LongCountAsync(), mark.Judgments);
    }

    private static CoverageReportService Service(TestDatabase database) =>
        new(database.Factory, new QualityReportService(database.Factory), Options.Create(new ReadinessOptions()));

    private static async Task CatchUpAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        await StatisticsFold.CatchUpAsync(db, CancellationToken.None);
    }

    /// <summary>Judgments of every kind: changed verdicts shown either way round, new annotators, finals and imported ones.</summary>
    private static async Task AddJudgmentsAsync(TestDatabase database, Random random, int count)
    {
        await using var db = database.CreateDbContext();
        var pairs = await db.PreferencePairs.Select(p => p.Id).OrderBy(id => id).ToListAsync();
        string[] annotators = ["tanaka", "suzuki", "sato", Judgment.ImportAnnotator];
        for (var i = 0; i < count; i++)
        {
            var pair = pairs[random.Next(pairs.Count)];
            var annotator = count == 5 ? "new-annotator" : annotators[random.Next(annotators.Length)];
            var final = count != 5 && random.Next(6) == 0;
            var previous = await db.Judgments.Where(j => j.PairId == pair && j.AnnotatorId == annotator && j.IsFinal == final)
                .OrderByDescending(j => j.Id).FirstOrDefaultAsync();
            db.Judgments.Add(new Judgment
            {
                Key = $"added-{Guid.NewGuid():N}", PairId = pair, AnnotatorId = annotator, IsFinal = final,
                Verdict = (Verdict)random.Next(4), ShownOrder = (ShownOrder)random.Next(2), SecondsSpent = Math.Round(random.NextDouble() * 40, 2),
                CreatedAt = new DateTime(2026, 10, 1 + random.Next(3), 9, 0, 0, DateTimeKind.Utc), SupersedesId = previous?.Id,
            });
            await db.SaveChangesAsync();
        }
    }

    private static async Task<Judgment> AddOneAsync(AnnotateDbContext db, string annotator)
    {
        var pair = await db.PreferencePairs.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var judgment = new Judgment
        {
            Key = $"one-{Guid.NewGuid():N}", PairId = pair, AnnotatorId = annotator, Verdict = Verdict.A, ShownOrder = ShownOrder.AB,
            SecondsSpent = 20, CreatedAt = new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc),
        };
        db.Judgments.Add(judgment);
        await db.SaveChangesAsync();
        return judgment;
    }

    /// <summary>A watermark that no count matches: the next read rebuilds every table from the judgments.</summary>
    private static async Task ForceRebuildAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        await db.StatisticsWatermarks.ExecuteUpdateAsync(set => set.SetProperty(w => w.Judgments, -1));
    }

    private static async Task<object> ReadTablesAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        return new
        {
            Summaries = await db.PairVoteSummaries.AsNoTracking().OrderBy(s => s.PairId).ToListAsync(),
            Days = await db.JudgingDays.AsNoTracking().OrderBy(d => d.WorkspaceId).ThenBy(d => d.AnnotatorId).ThenBy(d => d.Day).ToListAsync(),
            Paces = await db.JudgingPaces.AsNoTracking().OrderBy(p => p.WorkspaceId).ThenBy(p => p.AnnotatorId).ThenBy(p => p.Bucket).ToListAsync(),
            Swaps = await db.PositionSwapTallies.AsNoTracking().OrderBy(t => t.WorkspaceId).ToListAsync(),
            Watermark = await db.StatisticsWatermarks.AsNoTracking().SingleAsync(),
        };
    }
}
