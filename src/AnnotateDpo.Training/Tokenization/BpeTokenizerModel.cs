using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// A trained byte-level BPE vocabulary: special tokens first (ids 0..k-1), then the 256 byte symbols and the merged
/// symbols in the order they were learned.
/// </summary>
public sealed class BpeTokenizerModel
{
    private readonly string[] _specialTokens;
    private readonly IReadOnlyList<string> _symbols;

    internal BpeTokenizerModel(IReadOnlyList<string> specialTokens, IReadOnlyList<string> symbols, IReadOnlyList<(string Left, string Right)> merges)
    {
        _specialTokens = specialTokens.ToArray();
        if (symbols.Intersect(_specialTokens, StringComparer.Ordinal).FirstOrDefault() is { } clash)
        {
            throw new ArgumentException($"Special token '{clash}' is also an ordinary symbol of the vocabulary; choose a special token that cannot occur as text.", nameof(specialTokens));
        }
        _symbols = symbols;
        Merges = merges;
    }

    public IReadOnlyList<string> SpecialTokens => _specialTokens;

    /// <summary>Merges in rank order, as byte-level strings (a space is "Ġ").</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public int VocabSize => SpecialTokens.Count + _symbols.Count;

    public int SpecialTokenId(string token)
    {
        var id = Array.IndexOf(_specialTokens, token);
        return id >= 0 ? id : throw new ArgumentException($"'{token}' is not a special token of this vocabulary.", nameof(token));
    }

    /// <summary>
    /// Writes tokenizer.json in the schema of HF tokenizers' <c>Tokenizer.save</c> for a GPT-2-style byte-level BPE.
    /// The file is written beside the target and moved into place, so a failure never leaves half a file.
    /// </summary>
    public void WriteTokenizerJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteTokenizer(json);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private void WriteTokenizer(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");

        json.WriteStartArray("added_tokens");
        for (var id = 0; id < SpecialTokens.Count; id++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("content", SpecialTokens[id]);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteNull("normalizer");
        // add_prefix_space=false: a leading space would change the text the template rendered.
        WriteByteLevel(json, "pre_tokenizer", addPrefixSpace: false, trimOffsets: true);
        WriteByteLevel(json, "post_processor", addPrefixSpace: true, trimOffsets: false);
        WriteByteLevel(json, "decoder", addPrefixSpace: true, trimOffsets: true);

        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", false);
        json.WriteStartObject("vocab");
        for (var id = 0; id < SpecialTokens.Count; id++)
        {
            json.WriteNumber(SpecialTokens[id], id);
        }
        for (var i = 0; i < _symbols.Count; i++)
        {
            json.WriteNumber(_symbols[i], SpecialTokens.Count + i);
        }
        json.WriteEndObject();
        // The "left right" string form: byte-level symbols never contain a space, and every tokenizers version reads it.
        json.WriteStartArray("merges");
        foreach (var (left, right) in Merges)
        {
            json.WriteStringValue($"{left} {right}");
        }
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string name, bool addPrefixSpace, bool trimOffsets)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", trimOffsets);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
    }
}
