using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Evaluation;

public sealed class OnPolicyPairsTests : IAsyncLifetime
{
    private const string Workspace = "press";
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        await using var db = _db.CreateDbContext();
        var workspace = new Workspace { Name = Workspace, CreatedAt = DateTime.UtcNow, Categories = [new Category { Name = "safety" }, new Category { Name = "oil" }] };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        db.SftExamples.Add(new SftExample
        {
            WorkspaceId = workspace.Id, Key = "s1", CategoryId = workspace.Categories[0].Id, AuthorId = "mori", ContentHash = "s1",
            Messages = [new(ChatRoles.System, "Be brief."), new(ChatRoles.User, "Lock out?"), new(ChatRoles.Assistant, "Yes, always.")],
        });
        db.PreferencePairs.Add(new PreferencePair
        {
            WorkspaceId = workspace.Id, Key = "p1", CategoryId = workspace.Categories[1].Id, AuthorId = "mori", ContentHash = "p1",
            Prompt = [new(ChatRoles.User, "Oil grade?")], ResponseA = new PairResponse { Text = "ISO VG 46" }, ResponseB = new PairResponse { Text = "Any" },
        });
        db.PreferencePairs.Add(new PreferencePair
        {
            WorkspaceId = workspace.Id, Key = "p2", CategoryId = workspace.Categories[1].Id, AuthorId = "mori", ContentHash = "p2",
            Prompt = [new(ChatRoles.User, "Oil  grade?")], ResponseA = new PairResponse { Text = "46" }, ResponseB = new PairResponse { Text = "32" },
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task CandidatePrompts_EachSource_GivesItsPromptsOnceWithoutTheAnswer()
    {
        var file = Path.Combine(_db.Folder, "prompts.txt");
        await File.WriteAllLinesAsync(file, ["First?", "", "  Second?  "]);

        var sft = await CandidatePrompts.LoadAsync(_db.Factory, Workspace, PromptSource.Parse("sft"));
        var pairs = await CandidatePrompts.LoadAsync(_db.Factory, Workspace, PromptSource.Parse("pairs"));
        var oil = await CandidatePrompts.LoadAsync(_db.Factory, Workspace, PromptSource.Parse("category:oil"));
        var pasted = await CandidatePrompts.LoadAsync(_db.Factory, Workspace, PromptSource.Parse($"file:{file}"), limit: 1);

        var prompt = Assert.Single(sft);
        Assert.Equal([ChatRoles.System, ChatRoles.User], prompt.Prompt.Select(m => m.Role).ToArray());
        Assert.Equal(("safety", "sft:s1"), (prompt.Category, prompt.Source));
        Assert.Equal("pair:p1", Assert.Single(pairs).Source);
        Assert.Equal("oil", Assert.Single(oil).Category);
        Assert.Equal("First?", Assert.Single(pasted).Prompt[0].Content);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => CandidatePrompts.LoadAsync(_db.Factory, Workspace, PromptSource.Parse("category:hydraulics")));
        Assert.Contains("no category 'hydraulics'", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PromptSource.Parse("everything"));
    }

    [Fact]
    public async Task ImportAsync_IdenticalAndDuplicateSamples_AreDroppedAndTheRestQueuedAsModelPairs()
    {
        var service = new OnPolicyPairService(_db.Factory, TimeProvider.System);
        var lockOut = new CandidatePrompt([new(ChatRoles.User, "Lock out?")], "safety", "sft:s1");
        var oil = new CandidatePrompt([new(ChatRoles.User, "Oil grade?")], "oil", "pair:p1");
        var source = new GenerationSource("seed-data/models/demo-tiny", null, "temperature=0.8 k=4");
        SampledAnswers[] answers =
        [
            new(lockOut, ["Always lock out.", "Always  lock out. ", "Ask the lead.", "Wear gloves.", " "]),
            new(oil, ["46", "４６"]),
        ];

        var first = await service.ImportAsync(Workspace, answers, source, "mori");
        var second = await service.ImportAsync(Workspace, [answers[0]], source, "mori");

        Assert.Equal(3, first.PairKeys.Count);
        Assert.Equal((3, 1, 0), (first.IdenticalSamples, first.PromptsWithoutPair, first.DuplicatePairs));
        Assert.Equal((0, 3), (second.PairKeys.Count, second.DuplicatePairs));
        await using var db = _db.CreateDbContext();
        var queued = await db.PreferencePairs.Include(p => p.Category).Where(p => first.PairKeys.Contains(p.Key)).ToListAsync();
        Assert.Equal(3, queued.Count);
        Assert.All(queued, p =>
        {
            Assert.Equal("safety", p.Category?.Name);
            Assert.Equal([OnPolicyPairService.Tag], p.Tags);
            Assert.Empty(db.Judgments.Where(j => j.PairId == p.Id));
            foreach (var response in new[] { p.ResponseA, p.ResponseB })
                Assert.Equal((ResponseOrigin.Model, "seed-data/models/demo-tiny", (string?)null, "temperature=0.8 k=4"), (response.Origin, response.Model, response.Run, response.Settings));
        });
        Assert.Equal(new PairOriginCounts(2, 3, 0), await PairOriginCounts.CountAsync(_db.Factory, Workspace));
    }
}
