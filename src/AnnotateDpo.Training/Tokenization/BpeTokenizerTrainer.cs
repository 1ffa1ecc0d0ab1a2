using System.Text;
using System.Text.RegularExpressions;

namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// Trains a byte-level BPE vocabulary (GPT-2 style) on a corpus. Byte-level means the 256 byte symbols are always in
/// the vocabulary, so any text — Japanese, emoji, control characters — encodes without an unknown token, and the
/// merges only decide how compact the encoding is. The result is written in Hugging Face's tokenizer.json schema and
/// encoded by the Rust tokenizers library at run time, so the ids used in training are the ones HF tools see.
/// </summary>
public static partial class BpeTokenizerTrainer
{
    private const int ByteSymbolCount = 256;

    /// <param name="corpus">Training texts; each is pre-tokenized on its own.</param>
    /// <param name="vocabSize">Upper bound on special tokens + 256 byte symbols + merges. Fewer merges are learned
    /// when the corpus runs out of adjacent pairs.</param>
    /// <param name="specialTokens">Added tokens that get the first ids, in this order, and are never split.</param>
    public static BpeTokenizerModel Train(
        IEnumerable<string> corpus, int vocabSize, IReadOnlyList<string> specialTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (specialTokens.Any(string.IsNullOrEmpty) || specialTokens.Distinct(StringComparer.Ordinal).Count() != specialTokens.Count)
        {
            throw new ArgumentException("Special tokens must be non-empty and distinct.", nameof(specialTokens));
        }
        var minimum = specialTokens.Count + ByteSymbolCount;
        if (vocabSize < minimum)
        {
            throw new ArgumentOutOfRangeException(
                nameof(vocabSize), vocabSize, $"vocabSize must be at least {minimum} ({specialTokens.Count} special tokens + 256 byte symbols).");
        }

        var words = CountWords(corpus, specialTokens, cancellationToken);
        var symbols = ByteLevelAlphabet.ByteToChar.Select(c => c.ToString()).ToList();
        var merges = new PairMerger(words, symbols).Learn(vocabSize - specialTokens.Count, cancellationToken);
        return new BpeTokenizerModel(specialTokens, symbols, merges);
    }

    /// <summary>
    /// Counts pre-tokenized words, each as its byte-level symbol ids. Special tokens in the corpus (rendered chats)
    /// are cut out first: they always encode as their own id, so merges learned on their pieces would waste vocabulary.
    /// </summary>
    private static List<Word> CountWords(IEnumerable<string> corpus, IReadOnlyList<string> specialTokens, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var separators = specialTokens.ToArray();
        foreach (var text in corpus)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var part in separators.Length == 0 ? [text] : text.Split(separators, StringSplitOptions.None))
            {
                foreach (var match in PreTokenizer().EnumerateMatches(part))
                {
                    var piece = part.Substring(match.Index, match.Length);
                    counts[piece] = counts.GetValueOrDefault(piece) + 1;
                }
            }
        }
        return counts
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new Word(Encoding.UTF8.GetBytes(pair.Key).Select(b => (int)b).ToList(), pair.Value))
            .ToList();
    }

    /// <summary>
    /// The pattern of HF's ByteLevel pre-tokenizer with use_regex=true (GPT-2's). .NET matches \p{L} per UTF-16 unit,
    /// so letters outside the BMP split differently from Rust here; that only shifts merge statistics, never the ids,
    /// which the Rust library computes.
    /// </summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex PreTokenizer();

    private sealed record Word(List<int> Symbols, int Count);

    /// <summary>
    /// The classic BPE loop made incremental: pair counts and the words each pair occurs in are kept up to date, so
    /// a merge only revisits the words that contain it, and a lazily invalidated heap yields the most frequent pair
    /// (ties broken by symbol ids, so training is deterministic).
    /// </summary>
    private sealed class PairMerger(List<Word> words, List<string> symbols)
    {
        private readonly Dictionary<(int Left, int Right), long> _pairCounts = [];
        private readonly Dictionary<(int Left, int Right), HashSet<int>> _pairWords = [];
        private readonly PriorityQueue<(int Left, int Right), (long NegativeCount, int Left, int Right)> _queue = new();
        private readonly Dictionary<string, int> _symbolIds = symbols.Select((s, id) => (s, id)).ToDictionary(x => x.s, x => x.id, StringComparer.Ordinal);

        public List<(string Left, string Right)> Learn(int maxSymbols, CancellationToken cancellationToken)
        {
            for (var w = 0; w < words.Count; w++)
            {
                AddPairs(w);
            }
            foreach (var (pair, count) in _pairCounts)
            {
                Enqueue(pair, count);
            }

            var merges = new List<(string Left, string Right)>();
            var merged = new HashSet<(int, int)>();
            while (symbols.Count < maxSymbols && TryDequeueBest(out var pair))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!merged.Add(pair))
                {
                    // Reusing an existing symbol for a merged string can make an already merged pair adjacent again;
                    // recording the merge twice would give it two ranks.
                    continue;
                }
                merges.Add((symbols[pair.Left], symbols[pair.Right]));
                Merge(pair, SymbolId(symbols[pair.Left] + symbols[pair.Right]));
            }
            return merges;
        }

        /// <summary>A merged string may already exist via another split ("a"+"bc" vs "ab"+"c"); HF's trainer reuses its id too.</summary>
        private int SymbolId(string text)
        {
            if (!_symbolIds.TryGetValue(text, out var id))
            {
                id = symbols.Count;
                symbols.Add(text);
                _symbolIds[text] = id;
            }
            return id;
        }

        private bool TryDequeueBest(out (int Left, int Right) pair)
        {
            while (_queue.TryDequeue(out pair, out var priority))
            {
                if (_pairCounts.GetValueOrDefault(pair) == -priority.NegativeCount && priority.NegativeCount < 0)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Replaces each occurrence of <paramref name="pair"/>, left to right, updating only the counts of the pairs
        /// around it — work in proportion to the occurrences, not to the length of the words they sit in.
        /// </summary>
        private void Merge((int Left, int Right) pair, int newSymbol)
        {
            var touched = new HashSet<(int, int)>();
            foreach (var w in _pairWords[pair])
            {
                var (symbolIds, count) = words[w];
                for (var i = 0; i + 1 < symbolIds.Count; i++)
                {
                    if (symbolIds[i] != pair.Left || symbolIds[i + 1] != pair.Right)
                    {
                        continue;
                    }
                    // The left neighbour is read after earlier replacements, so "a b a b" correctly becomes "X X".
                    if (i > 0)
                    {
                        Change((symbolIds[i - 1], pair.Left), -count, w, touched);
                        Change((symbolIds[i - 1], newSymbol), count, w, touched);
                    }
                    if (i + 2 < symbolIds.Count)
                    {
                        Change((pair.Right, symbolIds[i + 2]), -count, w, touched);
                        Change((newSymbol, symbolIds[i + 2]), count, w, touched);
                    }
                    symbolIds[i] = newSymbol;
                    symbolIds.RemoveAt(i + 1);
                }
            }
            _pairCounts.Remove(pair);
            _pairWords.Remove(pair);
            foreach (var changed in touched)
            {
                Enqueue(changed, _pairCounts.GetValueOrDefault(changed));
            }
        }

        private void Change((int Left, int Right) pair, long delta, int w, HashSet<(int, int)> touched)
        {
            _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + delta;
            if (delta > 0)
            {
                if (!_pairWords.TryGetValue(pair, out var set))
                {
                    _pairWords[pair] = set = [];
                }
                set.Add(w);
            }
            touched.Add(pair);
        }

        private void AddPairs(int w)
        {
            var word = words[w];
            for (var i = 0; i + 1 < word.Symbols.Count; i++)
            {
                var pair = (word.Symbols[i], word.Symbols[i + 1]);
                _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + word.Count;
                if (!_pairWords.TryGetValue(pair, out var set))
                {
                    _pairWords[pair] = set = [];
                }
                set.Add(w);
            }
        }

        private void Enqueue((int Left, int Right) pair, long count)
        {
            if (count > 0)
            {
                _queue.Enqueue(pair, (-count, pair.Left, pair.Right));
            }
        }
    }
}
