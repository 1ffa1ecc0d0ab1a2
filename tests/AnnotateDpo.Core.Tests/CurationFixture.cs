using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests;

/// <summary>
/// A small workspace written straight through the DbContext: four approved SFT examples and one of each other
/// status, and one pair for each way a pair can end (majority, tie, both bad, disagreement, unjudged).
/// </summary>
internal static class CurationFixture
{
    public const string Workspace = "press line";

    public static async Task SeedAsync(AnnotateDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        var created = new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc);
        var workspace = new Workspace
        {
            Name = Workspace,
            Language = "en",
            CreatedAt = created,
            Categories = [new Category { Name = "hydraulics", SftTarget = 10, PairTarget = 5 }, new Category { Name = "safety", SftTarget = 5, PairTarget = 5 }],
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var hydraulics = workspace.Categories[0];

        SftExample Sft(string key, SftStatus status, string question, string answer)
        {
            List<ChatMessage> messages = [new(ChatRoles.User, question), new(ChatRoles.Assistant, answer)];
            return new SftExample
            {
                WorkspaceId = workspace.Id, Key = key, CategoryId = hydraulics.Id, Messages = messages, AuthorId = "tanaka",
                Status = status, CreatedAt = created, UpdatedAt = created, ContentHash = ContentHash.ForSft(messages),
            };
        }
        db.SftExamples.AddRange(
            Sft("sft-1", SftStatus.Approved, "How do I bleed the hydraulic line?", "Lock out first, then open the bleed valve."),
            Sft("sft-2", SftStatus.Approved, "What pressure is normal?", "21 MPa at the pump outlet."),
            Sft("sft-3", SftStatus.Approved, "Oil is milky. Why?", "Water ingress; check the cooler."),
            Sft("sft-4", SftStatus.Approved, "When to change filters?", "Every 500 hours or at 0.3 MPa differential."),
            Sft("sft-draft", SftStatus.Draft, "Draft question", "Draft answer"),
            Sft("sft-rejected", SftStatus.Rejected, "Rejected question", "Rejected answer"));

        var judgmentNumber = 0;
        PreferencePair Pair(string key, params (string Annotator, Verdict Verdict)[] votes)
        {
            List<ChatMessage> prompt = [new(ChatRoles.User, $"Prompt of {key}")];
            var (a, b) = key == "pair-majority" ? ("A loses", "B wins") : ($"{key} A", $"{key} B");
            return new PreferencePair
            {
                WorkspaceId = workspace.Id, Key = key, CategoryId = hydraulics.Id, Prompt = prompt, AuthorId = "suzuki", CreatedAt = created,
                ResponseA = new PairResponse { Text = a, Origin = ResponseOrigin.Model, Model = "tiny", Run = "run-1" },
                ResponseB = new PairResponse { Text = b },
                ContentHash = ContentHash.ForPair(prompt, a, b),
                Judgments = votes.Select(v => new Judgment
                {
                    Key = $"j-{++judgmentNumber}", AnnotatorId = v.Annotator, Verdict = v.Verdict,
                    Strength = v.Verdict is Verdict.A or Verdict.B ? VerdictStrength.Clear : null,
                    ShownOrder = judgmentNumber % 2 == 0 ? ShownOrder.AB : ShownOrder.BA, SecondsSpent = 30, CreatedAt = created,
                }).ToList(),
            };
        }
        db.PreferencePairs.AddRange(
            Pair("pair-majority", ("tanaka", Verdict.B), ("suzuki", Verdict.B), ("sato", Verdict.A)),
            Pair("pair-tie", ("tanaka", Verdict.Tie)),
            Pair("pair-bothbad", ("tanaka", Verdict.BothBad), ("suzuki", Verdict.BothBad)),
            Pair("pair-disagree", ("tanaka", Verdict.A), ("suzuki", Verdict.B)),
            Pair("pair-unjudged"));
        await db.SaveChangesAsync();
    }
}
