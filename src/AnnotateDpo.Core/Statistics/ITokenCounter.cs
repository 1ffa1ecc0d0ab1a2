namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Counts the tokens of a text with some model's tokenizer. Core knows no tokenizer: the host registers one (the
/// workspace model's, say) and the length bias is then also reported in tokens; without one it is not.
/// </summary>
public interface ITokenCounter
{
    int Count(string text);
}
