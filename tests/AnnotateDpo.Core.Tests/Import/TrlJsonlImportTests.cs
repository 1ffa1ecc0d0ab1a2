using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

public class TrlJsonlImportTests
{
    [Fact]
    public async Task ImportAsync_PreferenceStrings_CreatesWorkspaceAndCuratedPairs()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("prefs.jsonl", """
            {"prompt":"How do I bleed the line?","chosen":"Lock out, then open the bleed valve.","rejected":"Just unscrew it.","category":"hydraulics","tags":["press","leak"]}
            {"prompt":"Normal pressure?","chosen":"21 MPa.","rejected":"Whatever."}
            """);

        var result = await db.ImportAsync("press", null, file);

        Assert.True(result.WorkspaceCreated);
        Assert.Equal((0, 2, 2, 1), (result.SftExamplesAdded, result.PairsAdded, result.JudgmentsAdded, result.CategoriesAdded));
        await using var context = db.CreateDbContext();
        var workspace = await context.Workspaces.Include(w => w.Categories).SingleAsync();
        Assert.Equal(("press", "en"), (workspace.Name, workspace.Language));
        var category = Assert.Single(workspace.Categories);
        Assert.Equal(("hydraulics", Workspace.DefaultSftTarget, Workspace.DefaultSftTarget), (category.Name, category.SftTarget, category.PairTarget));
        var pair = await context.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.CategoryId == category.Id);
        Assert.Equal([new ChatMessage("user", "How do I bleed the line?")], pair.Prompt);
        Assert.Equal(("Lock out, then open the bleed valve.", "Just unscrew it."), (pair.ResponseA.Text, pair.ResponseB.Text));
        Assert.Equal(["press", "leak"], pair.Tags);
        Assert.Equal(("prefs.jsonl", 1, "import"), (pair.SourceFile, pair.SourceLine, pair.AuthorId));
        Assert.Equal(ContentHash.ForPair(pair.Prompt, pair.ResponseA.Text, pair.ResponseB.Text), pair.ContentHash);
        Assert.Equal("pair-" + pair.ContentHash[..12], pair.Key);
        var judgment = Assert.Single(pair.Judgments);
        Assert.Equal((Judgment.ImportAnnotator, Verdict.A, (VerdictStrength?)null, ShownOrder.AB, FixedClock.Default, false),
            (judgment.AnnotatorId, judgment.Verdict, judgment.Strength, judgment.ShownOrder, judgment.CreatedAt, judgment.IsFinal));
    }

    [Fact]
    public async Task ImportAsync_ConversationalPreference_KeepsSystemAndTurns()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("conv.jsonl", """
            {"prompt":[{"role":"system","content":"You maintain presses."},{"role":"user","content":"Noise?"},{"role":"assistant","content":"Where?"},{"role":"user","content":"Pump."}],"chosen":[{"role":"assistant","content":"Check cavitation."}],"rejected":[{"role":"assistant","content":"Ignore it."}]}
            """);

        await db.ImportAsync("press", null, file);

        await using var context = db.CreateDbContext();
        var pair = await context.PreferencePairs.SingleAsync();
        Assert.Equal(["system", "user", "assistant", "user"], pair.Prompt.Select(m => m.Role));
        Assert.Equal(("Check cavitation.", "Ignore it."), (pair.ResponseA.Text, pair.ResponseB.Text));
    }

    [Fact]
    public async Task ImportAsync_ImplicitPrompt_SharedPrefixBecomesPrompt()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("implicit.jsonl", """
            {"chosen":[{"role":"user","content":"Is the oil milky?"},{"role":"assistant","content":"Yes: water ingress."}],"rejected":[{"role":"user","content":"Is the oil milky?"},{"role":"assistant","content":"No idea."}]}
            """);

        await db.ImportAsync("press", null, file);

        await using var context = db.CreateDbContext();
        var pair = await context.PreferencePairs.SingleAsync();
        Assert.Equal([new ChatMessage("user", "Is the oil milky?")], pair.Prompt);
        Assert.Equal(("Yes: water ingress.", "No idea."), (pair.ResponseA.Text, pair.ResponseB.Text));
    }

    [Fact]
    public async Task ImportAsync_SftShapes_ImportsApprovedConversations()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("sft.jsonl", """
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Q1"},{"role":"assistant","content":"A1"}],"id":"sft-given","authorId":"tanaka"}
            {"prompt":"Q2","completion":"A2"}

            {"prompt":[{"role":"user","content":"Q3"}],"completion":[{"role":"assistant","content":"A3"}],"category":"safety"}
            """);

        var result = await db.ImportAsync("press", null, file);

        Assert.Equal(3, result.SftExamplesAdded);
        await using var context = db.CreateDbContext();
        var examples = await context.SftExamples.OrderBy(e => e.SourceLine).ToListAsync();
        Assert.Equal([1, 2, 4], examples.Select(e => e.SourceLine!.Value));
        Assert.All(examples, e => Assert.Equal(SftStatus.Approved, e.Status));
        Assert.Equal(("sft-given", "tanaka"), (examples[0].Key, examples[0].AuthorId));
        Assert.Equal(["system", "user", "assistant"], examples[0].Messages.Select(m => m.Role));
        Assert.Equal([new ChatMessage("user", "Q2"), new ChatMessage("assistant", "A2")], examples[1].Messages);
        Assert.Equal(("sft-" + examples[1].ContentHash[..12], "import"), (examples[1].Key, examples[1].AuthorId));
        Assert.Equal([new ChatMessage("user", "Q3"), new ChatMessage("assistant", "A3")], examples[2].Messages);
        Assert.Equal(FixedClock.Default, examples[2].CreatedAt);
    }

    [Fact]
    public async Task ImportAsync_AsDraft_SftDraftAndPairsUnjudged()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("mixed.jsonl", """
            {"prompt":"Q","completion":"A"}
            {"prompt":"Q","chosen":"good","rejected":"bad"}
            """);

        var result = await db.ImportAsync("press", new ImportOptions { AsDraft = true, Language = "ja" }, file);

        Assert.Equal((1, 1, 0), (result.SftExamplesAdded, result.PairsAdded, result.JudgmentsAdded));
        await using var context = db.CreateDbContext();
        Assert.Equal(SftStatus.Draft, (await context.SftExamples.SingleAsync()).Status);
        Assert.Equal(0, await context.Judgments.CountAsync());
        Assert.Equal("ja", (await context.Workspaces.SingleAsync()).Language);
    }

    [Fact]
    public async Task ImportAsync_AmbiguousRowWithKind_ImportsAsThatKind()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("both.jsonl", """
            {"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}],"chosen":"x","rejected":"y"}
            """);

        var withoutKind = await db.ImportErrorsAsync("press", null, file);
        var result = await db.ImportAsync("press", new ImportOptions { Kind = ImportKind.Sft }, file);

        Assert.Contains("say which kind", Assert.Single(withoutKind).Message);
        Assert.Equal((1, 0), (result.SftExamplesAdded, result.PairsAdded));
    }

    [Fact]
    public async Task ImportAsync_RowOfOtherKindThanRequested_IsAnError()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("pairs.jsonl", """{"prompt":"Q","chosen":"x","rejected":"y"}""");

        var errors = await db.ImportErrorsAsync("press", new ImportOptions { Kind = ImportKind.Sft }, file);

        Assert.Equal("pairs.jsonl: line 1: row: is a preference pair row, but the import was asked for SFT", Assert.Single(errors).ToString());
    }

    [Fact]
    public async Task ImportAsync_ManyRows_WritesInBatchesAndReportsProgress()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        const int rows = 2500;
        var file = db.WriteFile("many.jsonl", string.Join('\n', Enumerable.Range(0, rows).Select(i =>
            $$"""{"prompt":"Question {{i}}","chosen":"Good answer {{i}}","rejected":"Bad answer {{i}}"}""")));
        var reports = new List<int>();

        var result = await db.Importer().ImportAsync("press", [file], new ImportOptions { Progress = new SynchronousProgress(reports) }, CancellationToken.None);

        Assert.Equal((rows, rows), (result.PairsAdded, result.JudgmentsAdded));
        Assert.Equal(new RowCounts(1, 0, 0, rows, rows), await db.CountsAsync());
        Assert.Equal([0, 1000, 2000, 2500], reports);
    }
}

/// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants the reports in order, as they happen.</summary>
internal sealed class SynchronousProgress(List<int> reports, Action<int>? then = null) : IProgress<int>
{
    public void Report(int value)
    {
        reports.Add(value);
        then?.Invoke(value);
    }
}
