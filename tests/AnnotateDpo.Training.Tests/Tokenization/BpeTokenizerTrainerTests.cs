using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

public sealed class BpeTokenizerTrainerTests
{
    private static readonly string[] NoSpecials = [];

    /// <summary>The worked example of the Hugging Face NLP course's BPE chapter: hug×10, pug×5, pun×12, bun×4, hugs×5.</summary>
    private static IEnumerable<string> CourseCorpus() =>
        new[] { ("hug", 10), ("pug", 5), ("pun", 12), ("bun", 4), ("hugs", 5) }
            .SelectMany(word => Enumerable.Repeat(word.Item1, word.Item2));

    [Fact]
    public void Train_CourseExample_LearnsTheCourseMergesInOrder()
    {
        var model = BpeTokenizerTrainer.Train(CourseCorpus(), vocabSize: 256 + 3, NoSpecials);

        Assert.Equal([("u", "g"), ("u", "n"), ("h", "ug")], model.Merges);
        Assert.Equal(259, model.VocabSize);
    }

    [Fact]
    public void Train_CorpusRunsOutOfPairs_StopsBelowVocabSizeWithEveryWordOneToken()
    {
        using var folder = new TempFolder();
        var model = BpeTokenizerTrainer.Train(CourseCorpus(), vocabSize: 1000, NoSpecials);
        model.WriteTokenizerJson(folder.File(HfTokenizer.TokenizerFileName));
        using var tokenizer = HfTokenizer.Load(folder.Path);

        var ids = new[] { "hug", "pug", "pun", "bun", "hugs" }.Select(word => tokenizer.Encode(word)).ToList();

        Assert.True(model.VocabSize < 1000);
        Assert.All(ids, word => Assert.Single(word));
        Assert.Equal(model.VocabSize, tokenizer.VocabSize);
    }

    [Fact]
    public void Train_VariedCorpus_FillsVocabSizeExactly()
    {
        var random = new Random(7);
        var corpus = Enumerable.Range(0, 300)
            .Select(_ => string.Join(' ', Enumerable.Range(0, 12).Select(_ => new string([.. Enumerable.Range(0, random.Next(2, 8)).Select(_ => (char)('a' + random.Next(26)))]))));

        var model = BpeTokenizerTrainer.Train(corpus, vocabSize: 600, ChatMlTokenizerFiles.SpecialTokens);

        Assert.Equal(600, model.VocabSize);
        Assert.Equal(600 - 256 - 3, model.Merges.Count);
    }

    [Fact]
    public void Train_SameCorpusTwice_GivesSameMerges()
    {
        var first = BpeTokenizerTrainer.Train(TrainedChatMlTokenizer.Corpus(), 500, ChatMlTokenizerFiles.SpecialTokens);
        var second = BpeTokenizerTrainer.Train(TrainedChatMlTokenizer.Corpus(), 500, ChatMlTokenizerFiles.SpecialTokens);

        Assert.Equal(first.Merges, second.Merges);
    }

    [Fact]
    public void Train_SpecialTokens_GetTheFirstIdsInOrder()
    {
        using var folder = new TempFolder();
        var model = BpeTokenizerTrainer.Train(CourseCorpus(), 300, ["<|endoftext|>", "<pad>"]);
        model.WriteTokenizerJson(folder.File(HfTokenizer.TokenizerFileName));
        using var tokenizer = HfTokenizer.Load(folder.Path);

        var ids = tokenizer.Encode("hug<pad><|endoftext|>");

        Assert.Equal([0, 1], new[] { model.SpecialTokenId("<|endoftext|>"), model.SpecialTokenId("<pad>") });
        Assert.Equal(1, ids[^2]);
        Assert.Equal(0, ids[^1]);
    }

    [Fact]
    public void Train_FrequentJapaneseWord_EncodesInFewerTokensThanBytes()
    {
        using var folder = new TempFolder();
        var model = ChatMlTokenizerFiles.Train(TrainedChatMlTokenizer.Corpus(), 700);
        ChatMlTokenizerFiles.Write(folder.Path, model, modelMaxLength: 128);
        using var tokenizer = HfTokenizer.Load(folder.Path);

        var ids = tokenizer.Encode("確認してください");

        Assert.True(ids.Length < System.Text.Encoding.UTF8.GetByteCount("確認してください"), $"{ids.Length} tokens");
    }

    [Fact]
    public void Train_CorpusContainingSpecialTokens_LearnsNoMergesFromThem()
    {
        var corpus = Enumerable.Repeat("<|im_start|>hug<|im_end|>", 20);

        var model = BpeTokenizerTrainer.Train(corpus, 1000, ChatMlTokenizerFiles.SpecialTokens);

        Assert.Equal([("h", "u"), ("hu", "g")], model.Merges);
    }

    [Fact]
    public void Train_VocabSizeBelowBytesAndSpecials_ThrowsNamingTheMinimum()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BpeTokenizerTrainer.Train(CourseCorpus(), 258, ChatMlTokenizerFiles.SpecialTokens));

        Assert.Contains("at least 259", error.Message);
    }

    [Fact]
    public void Train_DuplicateSpecialTokens_Throws()
    {
        Assert.Throws<ArgumentException>(() => BpeTokenizerTrainer.Train(CourseCorpus(), 300, ["<a>", "<a>"]));
    }

    [Fact]
    public void Train_SpecialTokenThatIsAByteSymbol_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BpeTokenizerTrainer.Train(CourseCorpus(), 300, ["g"]));

        Assert.Contains("'g'", error.Message);
    }

    [Fact]
    public void WriteChatMlFiles_VocabularyWithoutChatMlTokens_ThrowsNamingThem()
    {
        using var folder = new TempFolder();
        var model = BpeTokenizerTrainer.Train(CourseCorpus(), 300, ["<|endoftext|>"]);

        var error = Assert.Throws<ArgumentException>(() => ChatMlTokenizerFiles.Write(folder.Path, model, modelMaxLength: 64));

        Assert.Contains("<|im_start|>, <|im_end|>", error.Message);
        Assert.Empty(Directory.EnumerateFiles(folder.Path));
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => BpeTokenizerTrainer.Train(CourseCorpus(), 300, NoSpecials, cancelled.Token));
    }
}
