namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Counts the tokens of a text with some model's tokenizer. Core knows no tokenizer: the host registers one (the demo
/// model's, say) and the length bias is then also reported in tokens; without one it is not. Called from several
/// threads at once.
/// </summary>
public interface ITokenCounter
{
    int Count(string text);
}

/// <summary>A token counter over a tokenizer's encode function, which the host (the only one that knows the tokenizer) passes in.</summary>
public sealed class TokenCounter(Func<string, int> count) : ITokenCounter
{
    public int Count(string text) => count(text);
}
