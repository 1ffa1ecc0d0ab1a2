using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Browse;

/// <summary>
/// A workspace for browsing, written through the DbContext: SFT examples across categories, tags, statuses, authors and
/// days (Japanese with full-width letters, English in mixed case), and pairs with judgments for every kind of agreement.
/// </summary>
internal static class BrowseWorkspace
{
    public const string Name = "保全";
    public static readonly DateTime Day1 = new(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc);

    public static async Task SeedAsync(AnnotateDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        var workspace = new Workspace
        {
            Name = Name, Language = "ja", CreatedAt = Day1,
            Categories = [new Category { Name = "hydraulics" }, new Category { Name = "safety" }],
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var (hydraulics, safety) = (workspace.Categories[0], workspace.Categories[1]);

        SftExample Sft(string key, Category? category, string author, SftStatus status, int day, string[] tags, string question, string answer)
        {
            List<ChatMessage> messages = [new(ChatRoles.System, "You are a maintenance assistant."), new(ChatRoles.User, question), new(ChatRoles.Assistant, answer)];
            return new SftExample
            {
                WorkspaceId = workspace.Id, Key = key, CategoryId = category?.Id, Messages = messages, Tags = [.. tags], AuthorId = author,
                Status = status, CreatedAt = Day1.AddDays(day - 1), UpdatedAt = Day1.AddDays(day), ContentHash = ContentHash.ForSft(messages),
                ReviewComment = status == SftStatus.Rejected ? "Give the torque value." : null,
            };
        }
        db.SftExamples.AddRange(
            Sft("s-bleed", hydraulics, "tanaka", SftStatus.Approved, 1, ["hydraulics", "loto"], "How do I Bleed the hydraulic line?", "ＬＯＴＯ first, then open the bleed valve."),
            Sft("s-pressure", hydraulics, "suzuki", SftStatus.Submitted, 2, ["hydraulics"], "作動油の圧力は？", "ポンプ出口で 21 MPa が正常です。"),
            Sft("s-guard", safety, "tanaka", SftStatus.Rejected, 3, ["safety"], "安全柵のインターロックが外れない", "電源を切り、鍵を抜いてから点検します。"),
            Sft("s-draft", safety, "suzuki", SftStatus.Draft, 4, [], "Draft question about guards", "Draft answer"),
            Sft("s-none", null, "sato", SftStatus.Approved, 5, ["loto"], "What is lockout?", "Isolating energy before work."));

        var judgmentNumber = 0;
        PreferencePair Pair(string key, Category? category, string author, int day, string prompt, params (string Annotator, Verdict Verdict, bool Final)[] votes)
        {
            List<ChatMessage> messages = [new(ChatRoles.User, prompt)];
            var (a, b) = ($"{key}: 残圧を抜いてから作業する", $"{key}: そのまま運転を続ける");
            return new PreferencePair
            {
                WorkspaceId = workspace.Id, Key = key, CategoryId = category?.Id, Prompt = messages, AuthorId = author, CreatedAt = Day1.AddDays(day - 1),
                ResponseA = new PairResponse { Text = a }, ResponseB = new PairResponse { Text = b, Origin = ResponseOrigin.Model, Model = "tiny" },
                Tags = category == safety ? ["safety"] : [], ContentHash = ContentHash.ForPair(messages, a, b),
                Judgments = votes.Select(v => new Judgment
                {
                    Key = $"j-{++judgmentNumber}", AnnotatorId = v.Annotator, Verdict = v.Verdict, IsFinal = v.Final,
                    Strength = v.Verdict is Verdict.A or Verdict.B ? VerdictStrength.Clear : null, CreatedAt = Day1.AddDays(day),
                    Rationale = $"rationale of {v.Annotator}",
                }).ToList(),
            };
        }
        db.PreferencePairs.AddRange(
            Pair("p-agreed", hydraulics, "tanaka", 1, "油圧ユニットから異音がします", ("tanaka", Verdict.A, false), ("suzuki", Verdict.A, false), ("sato", Verdict.B, false)),
            Pair("p-disagreed", hydraulics, "suzuki", 2, "Pressure drops to 18 MPa", ("tanaka", Verdict.A, false), ("suzuki", Verdict.B, false)),
            Pair("p-final", safety, "tanaka", 3, "ライトカーテンが反応しない", ("tanaka", Verdict.A, false), ("suzuki", Verdict.B, false), ("manager", Verdict.B, true)),
            Pair("p-unjudged", safety, "sato", 4, "Die cushion warns of over-temperature"));
        await db.SaveChangesAsync();
    }
}
