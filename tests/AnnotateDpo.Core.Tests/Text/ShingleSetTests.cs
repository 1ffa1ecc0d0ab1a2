using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Text;

public sealed class ShingleSetTests
{
    [Fact]
    public void Jaccard_OneCharacterChangedAtTheEnd_IsOneThirdForSixCharacters()
    {
        // {abcde, bcdef} against {abcde, bcdeg}: one shingle shared of three.
        var a = ShingleSet.Of("abcdef");
        var b = ShingleSet.Of("abcdeg");

        var similarity = a.Jaccard(b);

        Assert.Equal(2, a.Count);
        Assert.Equal(1.0 / 3, similarity, 12);
    }

    [Fact]
    public void Of_RepeatedShingles_CountsEachOnce()
    {
        var set = ShingleSet.Of("aaaaaaaaaa");

        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Of_TextShorterThanTheShingle_IsOneShingleOfTheWholeText()
    {
        var abc = ShingleSet.Of("abc");

        Assert.Equal(1, abc.Count);
        Assert.Equal(1.0, abc.Jaccard(ShingleSet.Of("abc")));
        Assert.Equal(0.0, abc.Jaccard(ShingleSet.Of("abd")));
    }

    [Fact]
    public void Jaccard_FullWidthAndExtraWhitespace_IsOne()
    {
        var typed = ShingleSet.Of("ＬＯＴＯ  を行ってから\n\n  バルブを開く");
        var stored = ShingleSet.Of("LOTO を行ってから\nバルブを開く");

        Assert.Equal(1.0, typed.Jaccard(stored));
    }

    [Fact]
    public void Jaccard_EmptyText_IsZeroEvenAgainstEmpty()
    {
        var empty = ShingleSet.Of("  \n ");

        Assert.Equal(0, empty.Count);
        Assert.Equal(0.0, empty.Jaccard(ShingleSet.Of("")));
        Assert.Equal(0.0, empty.Jaccard(ShingleSet.Of("something")));
    }

    [Fact]
    public void Jaccard_OneWordChangedInAParagraph_IsAboveTheNearDuplicateThreshold()
    {
        const string Original = "Before opening the bleed valve, lock out the hydraulic unit, wait for the accumulator to discharge, and check the gauge reads zero.";
        var edited = Original.Replace("wait", "pause", StringComparison.Ordinal);

        var similarity = ShingleSet.Of(Original).Jaccard(ShingleSet.Of(edited));

        Assert.InRange(similarity, 0.8, 0.999);
    }

    [Fact]
    public void Jaccard_RandomTexts_IsSymmetricAndWithinTheSizeBound()
    {
        var random = new Random(20261201);
        for (var trial = 0; trial < 200; trial++)
        {
            var a = ShingleSet.Of(RandomText(random));
            var b = ShingleSet.Of(RandomText(random));

            var ab = a.Jaccard(b);

            Assert.Equal(ab, b.Jaccard(a));
            Assert.InRange(ab, 0, ShingleSet.MaxJaccard(a.Count, b.Count));
        }
    }

    /// <summary>A small alphabet, so that texts share shingles often enough for the bound to matter.</summary>
    private static string RandomText(Random random) =>
        new(Enumerable.Range(0, random.Next(0, 40)).Select(_ => "abc "[random.Next(4)]).ToArray());
}
