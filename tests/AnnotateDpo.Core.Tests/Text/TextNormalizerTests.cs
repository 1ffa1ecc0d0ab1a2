using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("ＡＢＣ１２３", "ABC123")]            // full-width letters and digits
    [InlineData("ｶﾀｶﾅ", "カタカナ")]                   // half-width katakana
    [InlineData("a\r\nb\rc\nd", "a\nb\nc\nd")]        // newline styles
    [InlineData("  a \t  b  ", "a b")]                // runs of spaces, trimmed ends
    [InlineData("a  \n\n\n  b", "a\nb")]              // a run holding a line break becomes one newline
    [InlineData("a\u3000b", "a b")]                   // ideographic space
    [InlineData("", "")]
    [InlineData(" \n\t ", "")]
    public void Normalize_VariantText_ReturnsCanonicalForm(string text, string expected)
    {
        var normalized = TextNormalizer.Normalize(text);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("油圧ポンプの異音 🔧")]
    [InlineData("line one\nline two")]
    [InlineData("a b")]
    public void Normalize_CanonicalText_IsUnchanged(string text)
    {
        var normalized = TextNormalizer.Normalize(text);

        Assert.Equal(text, normalized);
        Assert.Equal(normalized, TextNormalizer.Normalize(normalized));
    }
}
