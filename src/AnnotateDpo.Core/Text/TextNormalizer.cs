using System.Text;

namespace AnnotateDpo.Core.Text;

/// <summary>
/// The canonical form of a text for comparison (duplicate detection, content hashes); stored texts stay as written.
/// NFKC folds full-width/half-width and compatibility forms (common in Japanese input), newlines are unified,
/// a run of whitespace becomes one space — or one newline when the run holds a line break, so that paragraph
/// structure survives while indentation, blank lines and trailing spaces do not — and the ends are trimmed.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.Normalize(NormalizationForm.FormKC);
        var result = new StringBuilder(folded.Length);
        var inWhitespace = false;
        var runHasNewline = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                inWhitespace = true;
                runHasNewline |= IsLineBreak(c);
                continue;
            }
            if (inWhitespace && result.Length > 0)
                result.Append(runHasNewline ? '\n' : ' ');
            inWhitespace = false;
            runHasNewline = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';
}
