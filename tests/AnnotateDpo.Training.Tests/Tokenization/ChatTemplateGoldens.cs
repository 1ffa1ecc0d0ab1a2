using System.Text.Json;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

/// <summary>
/// Real chat templates with conversations rendered by transformers' apply_chat_template (Fixtures/chat-templates,
/// copied from the shared fixtures).
/// </summary>
public sealed record ChatTemplateGolden(string Name, string ChatTemplate, string? BosToken, IReadOnlyList<GoldenCase> Cases)
{
    public static readonly IReadOnlyList<string> FileNames = ["qwen2.5-instruct.json", "smollm2-instruct.json", "llama3-instruct.json"];

    public static ChatTemplateGolden Load(string fileName)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chat-templates", fileName)));
        var root = json.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(
            [.. c.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))],
            c.GetProperty("add_generation_prompt").GetBoolean(),
            c.GetProperty("expected").GetString()!)).ToList();
        var bos = root.GetProperty("special").TryGetProperty("bos_token", out var token) ? token.GetString() : null;
        return new ChatTemplateGolden(root.GetProperty("name").GetString()!, root.GetProperty("chat_template").GetString()!, bos, cases);
    }

    /// <summary>(file name, case index) for every golden case, for xunit theories.</summary>
    public static TheoryData<string, int> AllCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in FileNames)
        {
            for (var i = 0; i < Load(file).Cases.Count; i++)
            {
                data.Add(file, i);
            }
        }
        return data;
    }

    public ChatFormat DetectFormat() => ChatFormats.Detect(ChatTemplate, BosToken, eosToken: null);
}

public sealed record GoldenCase(IReadOnlyList<ChatMessage> Messages, bool AddGenerationPrompt, string Expected);
