using System.Globalization;
using System.Text;

namespace AnnotateDpo.Core.Text;

/// <summary>
/// distinct-n (Li et al. 2016): distinct n-grams over all n-grams of a set of answers, a repetition measure
/// (1: no n-gram repeats; near 0: the model loops). n-grams are counted within each answer, never across two.
/// </summary>
public static class DistinctN
{
    /// <returns>The ratio, or null when the answers hold no n-gram at all.</returns>
    public static double? Ratio(IEnumerable<string> answers, int n = 2)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var answer in answers)
        {
            var tokens = Tokens(answer);
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                distinct.Add(string.Join('\u001f', tokens.Skip(i).Take(n)));
                total++;
            }
        }
        return total == 0 ? null : (double)distinct.Count / total;
    }

    /// <summary>
    /// Words for scripts written with spaces, and one token per character for Japanese and Chinese (Han, Hiragana,
    /// Katakana), which are not; case-folded, after NFKC, punctuation dropped.
    /// </summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var word = new StringBuilder();
        void EndWord()
        {
            if (word.Length > 0) tokens.Add(word.ToString());
            word.Clear();
        }

        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                EndWord();
                tokens.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(rune.ToString());
            }
            else
            {
                EndWord();
            }
        }
        EndWord();
        return tokens;
    }

    private static bool IsCjk(Rune rune) => rune.Value is
        (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
        or (>= 0x3400 and <= 0x4DBF) // CJK extension A
        or (>= 0x4E00 and <= 0x9FFF) // CJK unified ideographs
        or (>= 0xF900 and <= 0xFAFF) // compatibility ideographs
        or (>= 0x20000 and <= 0x3134F); // extensions B–G
}
