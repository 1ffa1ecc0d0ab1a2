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
        var day1 = new DateOnly(2026, 10, 1);
        var day2 = new DateOnly(2026, 10, 2);
        List<ProgressCell> cells =
        [
            new("tanaka", day1, 10, 1), new("tanaka", day1, 30, 1), new("tanaka", day2, 20, 1),
            new("sato", day2, 40, 1),
        ];
        List<TimeSpent> times = [new("tanaka", 10, 10.5), new("tanaka", 30, 30.5), new("tanaka", 20, 20.5), new("sato", 40, 40.5)];

        var progress = Progress.Summarize(cells, times);

        Assert.Equal(
        [
            new DailyJudgments(day1, "tanaka", 2),
            new DailyJudgments(day2, "sato", 1),
            new DailyJudgments(day2, "tanaka", 1),
        ], progress.PerDay);
        Assert.Equal([new AnnotatorPace("sato", 1, 40.5), new AnnotatorPace("tanaka", 3, 20.5)], progress.Annotators);
        Assert.Equal(25.5, progress.MedianSeconds);
    }

    [Fact]
    public void MiddleSeconds_ManyTimesPerBucket_NamesOnlyTheBucketsOfTheMiddleRanks()
    {
        var day = new DateOnly(2026, 10, 1);
        // tanaka: 3 in bucket 5, 4 in bucket 7 (7 values: middle rank 3, bucket 7); sato: 2 in bucket 9 (ranks 0 and 1).
        // All 9: ranks 4 (bucket 7).
        List<ProgressCell> cells = [new("tanaka", day, 5, 3), new("tanaka", day, 7, 4), new("sato", day, 9, 2)];

        Assert.Equal([7, 9], Progress.MiddleSeconds(cells).Order());
    }

    [Fact]
    public void Summarize_ExactTimesOfAllJudgments_MediansEqualTheMedianOfTheRawValues()
    {
        var random = new Random(7);
        var raw = Enumerable.Range(0, 301).Select(i => (Annotator: i % 3 == 0 ? "sato" : "tanaka", Seconds: Math.Round(random.NextDouble() * 20, 2))).ToList();
        var cells = raw.GroupBy(r => (r.Annotator, Second: (int)r.Seconds))
            .Select(g => new ProgressCell(g.Key.Annotator, new DateOnly(2026, 10, 1), g.Key.Second, g.Count())).ToList();
        var middle = Progress.MiddleSeconds(cells);
        var times = raw.Where(r => middle.Contains((int)r.Seconds)).Select(r => new TimeSpent(r.Annotator, (int)r.Seconds, r.Seconds)).ToList();

        var progress = Progress.Summarize(cells, times);

        Assert.Equal(Progress.Median(raw.Select(r => r.Seconds)), progress.MedianSeconds);
        foreach (var pace in progress.Annotators)
            Assert.Equal(Progress.Median(raw.Where(r => r.Annotator == pace.Annotator).Select(r => r.Seconds)), pace.MedianSeconds);
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
