namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// What the statistics read from a pair's two texts, stored once per pair and tokenizer (table PairTextFacts):
/// tokenising every pair was most of a fresh process's report. Valid for as long as the texts are, which is forever:
/// a pair's texts are never updated (an edit makes a new pair, and <see cref="Storage.AnnotateDbContext"/> refuses a
/// changed text), a deleted pair takes its facts with it (cascade), and SQLite's AUTOINCREMENT and PostgreSQL's
/// identity never hand out an id twice.
/// </summary>
public sealed class PairTextFacts
{
    /// <summary>The <see cref="Tokenizer"/> of facts counted without a tokenizer (characters and edit distance only).</summary>
    public const string NoTokenizer = "";

    public long PairId { get; set; }

    /// <summary>The <see cref="ITokenCounter.Name"/> the tokens were counted with, or <see cref="NoTokenizer"/>.</summary>
    public required string Tokenizer { get; set; }

    /// <summary>Unicode code points of response A, as SQL's <c>length()</c> counts them.</summary>
    public int CharactersA { get; set; }

    public int CharactersB { get; set; }

    /// <summary>Tokens of response A; null under <see cref="NoTokenizer"/>.</summary>
    public int? TokensA { get; set; }

    public int? TokensB { get; set; }

    /// <summary>
    /// Levenshtein distance of the normalised texts over the longer length; null where their lengths alone differ by
    /// at least <see cref="Bias.NearIdenticalDistance"/> of the longer one (the distance is then at least that, and
    /// its quadratic computation is skipped).
    /// </summary>
    public double? EditDistance { get; set; }

    public bool NearIdentical => EditDistance < Bias.NearIdenticalDistance;
}
