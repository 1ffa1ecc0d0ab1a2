using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

/// <summary>
/// A ChatML tokenizer trained by our own code on a small bilingual corpus, written to a temporary model folder and
/// loaded back through the Rust tokenizers library — the path the tiny demo model takes. Shared by a test class.
/// </summary>
public sealed class TrainedChatMlTokenizer : IDisposable
{
    public const int VocabSize = 700;

    public TrainedChatMlTokenizer()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"annotatedpo-tok-{Guid.NewGuid():N}");
        Model = ChatMlTokenizerFiles.Train(Corpus(), VocabSize);
        ChatMlTokenizerFiles.Write(Directory, Model, modelMaxLength: 256);
        Tokenizer = HfTokenizer.Load(Directory);
    }

    public string Directory { get; }
    public BpeTokenizerModel Model { get; }
    public HfTokenizer Tokenizer { get; }

    /// <summary>Maintenance-domain sentences in Japanese and English, repeated so that frequent words get merged.</summary>
    public static IEnumerable<string> Corpus()
    {
        string[] sentences =
        [
            "油圧プレスの異音がします。まず何を確認すべきですか?",
            "まず電源を切り、油量と油温を確認してください。",
            "The hydraulic press makes a noise. Check the oil level first.",
            "Line 2 stopped because the conveyor motor overheated.",
            "ベアリングの摩耗は振動と異音の原因になります。",
            "Replace the filter every 500 hours of operation.",
            "安全のため、作業前にロックアウトを行います。",
        ];
        for (var i = 0; i < 40; i++)
        {
            foreach (var sentence in sentences)
            {
                yield return $"{sentence} ({i})\n";
            }
        }
    }

    public void Dispose()
    {
        Tokenizer.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
