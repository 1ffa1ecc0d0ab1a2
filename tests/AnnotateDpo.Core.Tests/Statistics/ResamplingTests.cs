using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public class ResamplingTests
{
    /// <summary>
    /// Both search paths (from 0 for a small mean, from the mode otherwise) against the exact probabilities: with
    /// 200 000 draws a frequency's standard error is √(P(1 − P) / 200 000) ≤ 0.0012, and 5 of them bound every k, plus
    /// two draws' worth for the far tail, where one stray draw is many standard errors of a tiny probability.
    /// </summary>
    [Theory]
    [InlineData(20, 0.3)]
    [InlineData(200, 0.4)]
    [InlineData(300, 0.85)]
    public void Binomial_ManyDraws_FrequenciesMatchTheProbabilities(int trials, double p)
    {
        const int draws = 200_000;
        var random = new Random(3);

        var frequencies = new double[trials + 1];
        for (var i = 0; i < draws; i++) frequencies[Resampling.Binomial(random, trials, p)] += 1.0 / draws;

        for (var k = 0; k <= trials; k++)
        {
            var probability = Math.Exp(Resampling.LogFactorial(trials) - Resampling.LogFactorial(k) - Resampling.LogFactorial(trials - k)
                                       + k * Math.Log(p) + (trials - k) * Math.Log(1 - p));
            var tolerance = 5 * Math.Sqrt(probability * (1 - probability) / draws) + 2.0 / draws;
            Assert.InRange(frequencies[k], probability - tolerance, probability + tolerance);
        }
    }

    /// <summary>Mean np and variance np(1 − p) at a workspace's size; 20 000 draws put 5 standard errors at 0.035 σ and 5%.</summary>
    [Fact]
    public void Binomial_LargeTrials_MeanAndVarianceMatch()
    {
        const int draws = 20_000;
        const long trials = 100_000;
        const double p = 0.137;
        var random = new Random(4);

        var values = Enumerable.Range(0, draws).Select(_ => (double)Resampling.Binomial(random, trials, p)).ToList();

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (draws - 1);
        var sigma = Math.Sqrt(trials * p * (1 - p));
        Assert.InRange(mean, trials * p - 0.035 * sigma, trials * p + 0.035 * sigma);
        Assert.InRange(variance / (sigma * sigma), 0.95, 1.05);
    }

    [Fact]
    public void Multinomial_Draw_SumsToTheItemCountAndSkipsEmptyTypes()
    {
        var random = new Random(8);
        int[] typeCounts = [5, 0, 90_000, 3, 9_992];
        var drawn = new long[typeCounts.Length];

        for (var r = 0; r < 100; r++)
        {
            Resampling.Multinomial(random, typeCounts, drawn);

            Assert.Equal(100_000, drawn.Sum());
            Assert.Equal(0, drawn[1]);
        }
    }
}
