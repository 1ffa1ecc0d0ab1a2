using System.Security.Cryptography;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Counts the tokens of a text with some model's tokenizer. Core knows no tokenizer: the host registers one (the demo
/// model's, say) and the length bias is then also reported in tokens; without one it is not. Called from several
/// threads at once.
/// </summary>
public interface ITokenCounter
{
    /// <summary>
    /// Which tokenizer this is, such that another tokenizer (or another version of its file) has another name: the
    /// token counts stored per pair (<see cref="PairTextFacts"/>) are keyed by it. At most 200 characters.
    /// </summary>
    string Name { get; }

    int Count(string text);
}

/// <summary>A token counter over a tokenizer's encode function, which the host (the only one that knows the tokenizer) passes in.</summary>
public sealed class TokenCounter(string name, Func<string, int> count) : ITokenCounter
{
    public string Name { get; } = name.Length is > 0 and <= 200
        ? name
        : throw new ArgumentException("A tokenizer's name has 1 to 200 characters.", nameof(name));

    public int Count(string text) => count(text);

    /// <summary>A counter named after a tokenizer file's folder and content (SHA-256), so an edited file counts afresh.</summary>
    public static TokenCounter ForTokenizerFile(string tokenizerFile, Func<string, int> count)
    {
        using var stream = File.OpenRead(tokenizerFile);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(tokenizerFile)));
        return new TokenCounter($"{folder}/{Path.GetFileName(tokenizerFile)} sha256:{hash}", count);
    }
}
