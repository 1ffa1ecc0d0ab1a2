using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Text;

public sealed class DistinctNTests
{
    [Fact]
    public void Ratio_WorkedExample_CountsBigramsWithinEachAnswer()
    {
        // "the cat sat on the cat": 5 bigrams, 4 distinct (the-cat twice); "the cat ran": 2 bigrams, the-cat again.
        var ratio = DistinctN.Ratio(["The cat sat on the cat.", "the cat ran"]);

        Assert.Equal(5 / 7.0, ratio!.Value, 12);
    }

    [Fact]
    public void Ratio_LoopingAnswer_IsLow()
    {
        var ratio = DistinctN.Ratio([string.Join(' ', Enumerable.Repeat("check the oil", 10))]);

        Assert.Equal(3 / 29.0, ratio!.Value, 12);
    }

    [Fact]
    public void Tokens_Japanese_OneTokenPerCharacterAndWordsForLatin()
    {
        var tokens = DistinctN.Tokens("油温を確認、OK です。ＡＢＣ");

        Assert.Equal(["油", "温", "を", "確", "認", "ok", "で", "す", "abc"], tokens);
    }

    [Fact]
    public void Ratio_NoBigrams_IsNull() => Assert.Null(DistinctN.Ratio(["one", ""]));
}
