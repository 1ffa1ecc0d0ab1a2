using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public class ProgressStatsTests
{
    [Theory]
    [InlineData(new double[] { 5, 1, 3 }, 3.0)]
    [InlineData(new double[] { 4, 1, 3, 10 }, 3.5)]
    public void Median_OddAndEvenCounts_MiddleValueOrMeanOfTheMiddleTwo(double[] values, double expected)
    {
        Assert.Equal(expected, Progress.Median(values));
    }

    [Fact]
    public void Median_NoValues_Null()
    {
        Assert.Null(Progress.Median([]));
    }

    [Fact]
    public void Summarize_JudgmentsOverTwoDays_CountsPerDayAndAnnotatorWithMedians()
    {
        var day1 = new DateTime(2026, 10, 1, 23, 0, 0, DateTimeKind.Utc);
        var day2 = day1.AddHours(2);
        List<JudgmentActivity> activity =
        [
            new("tanaka", day1, 10), new("tanaka", day1, 30), new("tanaka", day2, 20),
            new("sato", day2, 40),
        ];

        var progress = Progress.Summarize(activity);

        Assert.Equal(
        [
            new DailyJudgments(new DateOnly(2026, 10, 1), "tanaka", 2),
            new DailyJudgments(new DateOnly(2026, 10, 2), "sato", 1),
            new DailyJudgments(new DateOnly(2026, 10, 2), "tanaka", 1),
        ], progress.PerDay);
        Assert.Equal([new AnnotatorPace("sato", 1, 40), new AnnotatorPace("tanaka", 3, 20)], progress.Annotators);
        Assert.Equal(25, progress.MedianSeconds);
    }

    [Fact]
    public async Task GetAsync_Fixture_CountsEveryJudgmentOfTheWorkspace()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var progress = await new ProgressStatsService(database.Factory).GetAsync(CurationFixture.Workspace);

        Assert.Equal([new AnnotatorPace("sato", 1, 30), new AnnotatorPace("suzuki", 3, 30), new AnnotatorPace("tanaka", 4, 30)], progress.Annotators);
        Assert.Equal(new DailyJudgments(new DateOnly(2026, 10, 1), "tanaka", 4), Assert.Single(progress.PerDay, d => d.Annotator == "tanaka"));
        Assert.Equal(30, progress.MedianSeconds);
    }
}
