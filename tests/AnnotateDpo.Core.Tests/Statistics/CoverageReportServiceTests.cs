using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Core.Tests.Statistics;

/// <summary>The whole page model, read once per computation, on each database the app supports.</summary>
public sealed class CoverageReportServiceTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_RepeatedJudgments_CountsSwapsProgressAndLatestVerdictsInTheDatabase(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        await AddRepeatsAsync(database.Factory);

        var report = await Service(database.Factory).GetAsync(CurationFixture.Workspace);

        // Flipped order, same verdict; flipped order, changed verdict; the same order again says nothing.
        Assert.Equal(PositionSwapConsistency.Of(2, 1), report.Annotators.PositionSwap);
        // tanaka's changed verdict on pair-disagree (A → B) now agrees with suzuki, so that pair is resolved.
        Assert.Equal(2, report.Stats.Pairs.Resolved);
        Assert.Equal(8, report.Stats.LatestJudgments);
        var tanaka = Assert.Single(report.Progress.Annotators, a => a.Annotator == "tanaka");
        Assert.Equal(new AnnotatorPace("tanaka", 7, 30), tanaka);
        Assert.Equal(new DailyJudgments(new DateOnly(2026, 10, 2), "tanaka", 3), Assert.Single(report.Progress.PerDay, d => d.Day.Day == 2));
        Assert.Equal(30, report.Progress.MedianSeconds);
    }

    [Fact]
    public async Task GetAsync_OnPolicyPair_CountsPairsAndResolvedPairsByOriginPerCategory()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await using (var db = database.CreateDbContext())
        {
            var pair = await db.PreferencePairs.SingleAsync(p => p.Key == "pair-unjudged");
            db.PreferencePairs.Add(new PreferencePair
            {
                WorkspaceId = pair.WorkspaceId, Key = "pair-on-policy", CategoryId = pair.CategoryId, Prompt = pair.Prompt, AuthorId = "model",
                CreatedAt = pair.CreatedAt, ContentHash = "on-policy",
                ResponseA = new PairResponse { Text = "sample one", Origin = ResponseOrigin.Model, Model = "tiny" },
                ResponseB = new PairResponse { Text = "sample two", Origin = ResponseOrigin.Model, Model = "tiny" },
                Judgments = [new Judgment { Key = "j-on-policy", AnnotatorId = "tanaka", Verdict = Verdict.A, ShownOrder = ShownOrder.AB, CreatedAt = pair.CreatedAt }],
            });
            await db.SaveChangesAsync();
        }

        var report = await Service(database.Factory).GetAsync(CurationFixture.Workspace);

        // The fixture's five pairs have a model's response A and a person's B: mixed; one of them (pair-majority) is resolved.
        var hydraulics = report.Stats.Categories.Single(c => c.Name == "hydraulics");
        Assert.Equal(new PairOriginCounts(0, 1, 5), hydraulics.Origins);
        Assert.Equal(new PairOriginCounts(0, 1, 1), hydraulics.ResolvedOrigins);
        Assert.Equal(PairOriginCounts.Zero, report.Stats.Categories.Single(c => c.Name == "safety").Origins);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_Fixture_EqualsTheServicesThatStatsReads(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        await AddRepeatsAsync(database.Factory);

        var report = await Service(database.Factory).GetAsync(CurationFixture.Workspace);

        var stats = await new WorkspaceStatsService(database.Factory).GetAsync(CurationFixture.Workspace);
        var quality = await new QualityReportService(database.Factory).GetAsync(CurationFixture.Workspace);
        Assert.Equivalent(stats, report.Stats, strict: true);
        Assert.Equivalent(quality, report.Quality, strict: true);
    }

    private static CoverageReportService Service(AnnotateDbContextFactory factory) =>
        new(factory, new QualityReportService(factory), Options.Create(new ReadinessOptions()));

    /// <summary>tanaka judges three pairs again the next day: 10 s, 30 s and 50 s.</summary>
    private static async Task AddRepeatsAsync(AnnotateDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        var next = new DateTime(2026, 10, 2, 9, 0, 0, DateTimeKind.Utc);
        var earlier = await db.Judgments.Where(j => j.AnnotatorId == "tanaka").ToListAsync();
        var pairs = await db.PreferencePairs.ToDictionaryAsync(p => p.Id, p => p.Key);
        Judgment Again(string pairKey, Verdict verdict, bool flip, double seconds)
        {
            var previous = earlier.Single(j => pairs[j.PairId] == pairKey);
            var order = flip ? (previous.ShownOrder == ShownOrder.AB ? ShownOrder.BA : ShownOrder.AB) : previous.ShownOrder;
            return new Judgment
            {
                Key = $"{previous.Key}-again", PairId = previous.PairId, AnnotatorId = "tanaka", Verdict = verdict, ShownOrder = order,
                SecondsSpent = seconds, CreatedAt = next, SupersedesId = previous.Id,
            };
        }
        db.Judgments.AddRange(
            Again("pair-majority", Verdict.B, flip: true, 10),
            Again("pair-disagree", Verdict.B, flip: true, 30),
            Again("pair-tie", Verdict.Tie, flip: false, 50));
        await db.SaveChangesAsync();
    }
}
