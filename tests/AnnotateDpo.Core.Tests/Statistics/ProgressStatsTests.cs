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
        List<DailyJudgments> perDay = [new(day2, "tanaka", 1), new(day2, "sato", 1), new(day1, "tanaka", 2)];
        List<PaceBucket> pace = [new("tanaka", 105, 1), new("tanaka", 305, 1), new("tanaka", 205, 1), new("sato", 405, 1)];
        List<TimeSpent> times = [new("tanaka", 105, 10.5), new("tanaka", 305, 30.5), new("tanaka", 205, 20.5), new("sato", 405, 40.5)];

        var progress = Progress.Summarize(perDay, pace, times);

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
    public void MiddleBuckets_ManyTimesPerBucket_NamesOnlyTheBucketsOfTheMiddleRanks()
    {
        // tanaka: 3 in bucket 5, 4 in bucket 7 (7 values: middle rank 3, bucket 7); sato: 2 in bucket 9 (ranks 0 and 1).
        // All 9: ranks 4 (bucket 7).
        List<PaceBucket> pace = [new("tanaka", 5, 3), new("tanaka", 7, 4), new("sato", 9, 2)];

        Assert.Equal([7, 9], Progress.MiddleBuckets(pace).Order());
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.3, 3)]
    [InlineData(12.34, 123)]
    [InlineData(0.09999, 0)]
    public void Bucket_TimeSpent_TenthsOfASecondRoundedDown(double seconds, int bucket)
    {
        Assert.Equal(bucket, Progress.Bucket(seconds));
    }

    [Fact]
    public void Summarize_ExactTimesOfAllJudgments_MediansEqualTheMedianOfTheRawValues()
    {
        var random = new Random(7);
        var raw = Enumerable.Range(0, 301).Select(i => (Annotator: i % 3 == 0 ? "sato" : "tanaka", Seconds: Math.Round(random.NextDouble() * 3, 3))).ToList();
        var pace = raw.GroupBy(r => (r.Annotator, Bucket: Progress.Bucket(r.Seconds)))
            .Select(g => new PaceBucket(g.Key.Annotator, g.Key.Bucket, g.Count())).ToList();
        var middle = Progress.MiddleBuckets(pace);
        var times = raw.Where(r => middle.Contains(Progress.Bucket(r.Seconds))).Select(r => new TimeSpent(r.Annotator, Progress.Bucket(r.Seconds), r.Seconds)).ToList();

        var progress = Progress.Summarize([], pace, times);

        Assert.True(times.Count < raw.Count / 2, "only the middle buckets' times are needed");
        Assert.Equal(Progress.Median(raw.Select(r => r.Seconds)), progress.MedianSeconds);
        foreach (var annotator in progress.Annotators)
            Assert.Equal(Progress.Median(raw.Where(r => r.Annotator == annotator.Annotator).Select(r => r.Seconds)), annotator.MedianSeconds);
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
