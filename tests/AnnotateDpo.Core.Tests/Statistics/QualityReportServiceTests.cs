using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public class QualityReportServiceTests
{
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
