using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Statistics;

public class QualityReportServiceTests
{
    /// <summary>The figures the database sums up, against the reference functions over the rows themselves.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_RandomPairsAndJudgments_EqualsTheReferenceFunctionsOverEveryRow(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        var random = new Random(23);
        string[] words = ["油圧", "pump", "バルブ", "seal", "点検", "torque"];
        string Text() => string.Join(' ', Enumerable.Range(0, 1 + random.Next(6)).Select(_ => words[random.Next(words.Length)]));
        await using (var db = database.CreateDbContext())
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.Name == CurationFixture.Workspace);
            for (var i = 0; i < 40; i++)
            {
                var a = Text();
                var annotators = new[] { "tanaka", "suzuki", "sato", "kato" }.OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToList();
                db.PreferencePairs.Add(new PreferencePair
                {
                    WorkspaceId = workspace.Id, Key = $"random-{i}", Prompt = [new ChatMessage("user", $"question {i}")], AuthorId = "test",
                    CreatedAt = new DateTime(2026, 10, 3, 0, 0, 0, DateTimeKind.Utc), ContentHash = $"random-{i}",
                    ResponseA = new PairResponse { Text = a },
                    ResponseB = new PairResponse { Text = random.Next(5) == 0 ? a + "." : Text() },
                    Judgments = annotators.Select((annotator, k) => new Judgment
                    {
                        Key = $"random-{i}-{k}", AnnotatorId = annotator, Verdict = (Verdict)random.Next(4), ShownOrder = (ShownOrder)random.Next(2),
                        SecondsSpent = 10, CreatedAt = new DateTime(2026, 10, 3, 9, 0, 0, DateTimeKind.Utc), IsFinal = k == 3,
                    }).ToList(),
                });
            }
            await db.SaveChangesAsync();
        }

        var report = await new QualityReportService(database.Factory, new WordCounter()).GetAsync(CurationFixture.Workspace);

        await using var check = database.CreateDbContext();
        var pairs = await check.PreferencePairs.Include(p => p.Judgments).ToListAsync();
        static int CodePoints(string text) => text.EnumerateRunes().Count();
        var resolved = pairs.Select(p => (Pair: p, Outcome: PairResolver.Resolve(p.Judgments).Outcome))
            .Where(r => r.Outcome is PairOutcome.AChosen or PairOutcome.BChosen)
            .Select(r => r.Outcome == PairOutcome.AChosen
                ? (Chosen: r.Pair.ResponseA.Text, Rejected: r.Pair.ResponseB.Text)
                : (Chosen: r.Pair.ResponseB.Text, Rejected: r.Pair.ResponseA.Text))
            .ToList();
        var counter = new WordCounter();
        Assert.Equal(resolved.Count, report.Length.Pairs);
        Assert.Equal(resolved.Average(r => (double)(CodePoints(r.Chosen) - CodePoints(r.Rejected))), report.Length.MeanLengthDifference, 12);
        Assert.Equal((double)resolved.Count(r => CodePoints(r.Chosen) > CodePoints(r.Rejected)) / resolved.Count(r => CodePoints(r.Chosen) != CodePoints(r.Rejected)),
            report.Length.LongerChosenShare, 12);
        Assert.Equal(resolved.Average(r => (double)(counter.Count(r.Chosen) - counter.Count(r.Rejected))), report.Length.MeanTokenDifference!.Value, 12);
        Assert.Equal(pairs.Count(p => Bias.IsNearIdentical(p.ResponseA.Text, p.ResponseB.Text)), report.NearIdenticalPairs);
        var ratings = pairs.SelectMany(p => PairResolver.LatestPerAnnotator(p.Judgments)
                .Where(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator && j.Verdict != Verdict.BothBad)
                .Select(j => new Rating<Verdict>(p.Key, j.AnnotatorId, j.Verdict)))
            .ToList();
        Assert.Equal(Agreement.KrippendorffAlphaNominal(ratings)!.Value, report.Agreement.KrippendorffAlpha.Value!.Value, 12);
        Assert.Equal(Agreement.PercentAgreement(ratings)!.Value, report.Agreement.PercentAgreement.Value!.Value, 12);
    }

    [Fact]
    public async Task GetAsync_Fixture_ComputesAgreementAndBiasFromLatestVerdicts()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var report = await new QualityReportService(database.Factory).GetAsync(CurationFixture.Workspace);

        // Items with two or more non-both-bad verdicts: the majority pair (B, B, A) and the disagreement (A, B):
        // 1 agreeing annotator pair out of 3 + 0 of 1.
        Assert.Equal(0.25, report.Agreement.PercentAgreement.Value!.Value, 12);
        Assert.Equal(2, report.Agreement.PercentAgreement.Items);
        Assert.Equal(2, report.Agreement.ExcludedBothBad);
        Assert.Empty(report.Agreement.CohensKappa);
        // The one resolved pair chooses "B wins" (6 characters) over "A loses" (7).
        Assert.Equal(new LengthBias(1, 0, -1), report.Length);
        Assert.Equal(5, report.Position.Verdicts);
        Assert.Equal(5, report.Pairs);
    }

    [Fact]
    public async Task GetAsync_WithATokenCounter_ReportsTheLengthDifferenceInTokens()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var withTokens = await new QualityReportService(database.Factory, new WordCounter()).GetAsync(CurationFixture.Workspace);
        var without = await new QualityReportService(database.Factory).GetAsync(CurationFixture.Workspace);

        // "B wins" chosen over "A loses": two words each.
        Assert.Equal(0, withTokens.Length.MeanTokenDifference);
        Assert.Null(without.Length.MeanTokenDifference);
    }

    [Fact]
    public async Task GetAsync_Fixture_CountsTagsPerCategoryAndPositionSwaps()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var stats = await new WorkspaceStatsService(database.Factory).GetAsync(CurationFixture.Workspace);
        var annotators = await new AnnotatorReportService(database.Factory).GetAsync(CurationFixture.Workspace);

        Assert.NotNull(stats.Tags);
        Assert.NotNull(annotators.PositionSwap);
        Assert.True(annotators.PositionSwap.Consistent <= annotators.PositionSwap.Repeats);
    }

    private sealed class WordCounter : ITokenCounter
    {
        public string Name => "words";

        public int Count(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
