namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// GPT-2's reversible byte → printable-character map, as used by Hugging Face's ByteLevel pre-tokenizer and decoder:
/// printable Latin-1 bytes stand for themselves, the other 68 bytes are shifted to U+0100 and up, so that every
/// token of a byte-level vocabulary is a printable string without spaces.
/// </summary>
internal static class ByteLevelAlphabet
{
    public static readonly IReadOnlyList<char> ByteToChar = Build();

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }
        return new string(chars);
    }

    private static char[] Build()
    {
        var map = new char[256];
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
            map[b] = printable ? (char)b : (char)(256 + shifted++);
        }
        return map;
    }
}
