using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Trainers;

/// <summary>Tiny random Llama models sized to the trained ChatML tokenizer, and a few SFT samples and pairs.</summary>
internal static class TrainerFixtures
{
    public static CausalLM Model(TrainedChatMlTokenizer trained, long seed = 3) =>
        TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama, trained.Tokenizer.VocabSize), seed);

    public static ChatFormat Format(TrainedChatMlTokenizer trained) => ChatFormats.For(trained.Tokenizer);

    private static readonly (string Question, string Good, string Bad)[] Rows =
    [
        ("油圧プレスの異音がします。", "まず電源を切り、油量と油温を確認してください。", "そのまま運転を続けてください。"),
        ("The hydraulic press makes a noise.", "Check the oil level first.", "Ignore it."),
        ("Why did line 2 stop?", "The conveyor motor overheated.", "Nobody knows."),
        ("How often is the filter replaced?", "Replace the filter every 500 hours of operation.", "Never."),
        ("作業前に何をしますか?", "安全のため、作業前にロックアウトを行います。", "何もしません。"),
        ("What causes vibration?", "ベアリングの摩耗は振動と異音の原因になります。", "Bad luck."),
        ("Line 2 stopped. What now?", "Check whether the conveyor motor overheated.", "Restart it ten times."),
        ("油温はどう確認しますか?", "まず電源を切り、油温を確認してください。", "触って確かめてください。"),
    ];

    public static IReadOnlyList<SftSample> SftSamples(int count) => Rows.Take(count)
        .Select(r => new SftSample([new ChatMessage(ChatRoles.User, r.Question), new ChatMessage(ChatRoles.Assistant, r.Good)]))
        .ToList();

    public static IReadOnlyList<PreferenceSample> Pairs(int count) => Rows.Take(count)
        .Select(r => new PreferenceSample([new ChatMessage(ChatRoles.User, r.Question)], r.Good, r.Bad))
        .ToList();

    public static IReadOnlyList<double> Losses(TrainingResult result) =>
        result.Steps.Select(s => s.Metrics[TrainingMetrics.Loss]).ToList();
}

/// <summary>Reports synchronously on the training thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
internal sealed class InlineProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
{
    public void Report(TrainingEvent value) => report(value);
}
