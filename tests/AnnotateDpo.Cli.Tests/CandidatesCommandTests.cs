using System.Text.RegularExpressions;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Cli.Tests;

/// <summary><c>annotatedpo candidates</c> and <c>annotatedpo evaluate</c> in process on the tiny demo model.</summary>
[Collection(ModelCliCollection.Name)]
public sealed partial class CandidatesCommandTests(ModelCliFixture fixture) : IDisposable
{
    private static readonly string DemoModel = Path.Combine(AppPaths.SeedDataFolder, "models", "demo-tiny");
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-candidates-").FullName;

    private string Db => Path.Combine(_folder, "candidates.db");

    public void Dispose()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task ImportWorkspaceAsync()
    {
        var file = Path.Combine(_folder, "pairs.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"How often is the pump checked?","chosen":"Every month.","rejected":"Never.","category":"pumps"}"""]);
        var import = await ModelCliFixture.RunAsync("import", "--db", Db, "--workspace", "press", file);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    [Fact]
    public async Task Candidates_ThreePastedPrompts_QueuesModelPairsMarkedWithModelAndSettings()
    {
        await ImportWorkspaceAsync();
        var prompts = Path.Combine(_folder, "prompts.txt");
        await File.WriteAllLinesAsync(prompts, ["How do I check the pump?", "When is the oil changed?", "What does the valve do?"]);
        var progress = Path.Combine(_folder, "progress.json");

        var run = await ModelCliFixture.RunAsync("candidates", "--db", Db, "--workspace", "press", "--model", DemoModel,
            "--prompts", $"file:{prompts}", "--k", "2", "--temperature", "1", "--max-new-tokens", "12", "--seed", "3", "--author", "mori", "--progress", progress);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var queued = int.Parse(QueuedPattern().Match(run.Stdout).Groups[1].Value);
        Assert.InRange(queued, 1, 3);
        Assert.Equal(new JobProgress(6, 6, JobProgress.Finished), JobProgress.TryRead(progress));
        await using var db = new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)).CreateDbContext();
        var pairs = (await db.PreferencePairs.ToListAsync()).Where(p => p.Tags.Contains(OnPolicyPairService.Tag)).ToList();
        Assert.Equal(queued, pairs.Count);
        Assert.All(pairs, p =>
        {
            Assert.Equal("mori", p.AuthorId);
            Assert.NotEqual(p.ResponseA.Text, p.ResponseB.Text);
            foreach (var response in new[] { p.ResponseA, p.ResponseB })
            {
                Assert.Equal(ResponseOrigin.Model, response.Origin);
                Assert.Equal(Path.Combine("seed-data", "models", "demo-tiny"), response.Model);
                Assert.Equal("temperature=1 top_p=0.95 max_new_tokens=12 seed=3 k=2 prompts=file:" + prompts, response.Settings);
            }
        });
        var ids = pairs.Select(p => p.Id).ToList();
        Assert.Empty(await db.Judgments.Where(j => ids.Contains(j.PairId)).ToListAsync());
    }

    [Theory]
    [InlineData("--k", "5", "--k: must be 2, 3 or 4")]
    [InlineData("--temperature", "0", "--temperature: must be more than 0")]
    [InlineData("--prompts", "everything", "--prompts: 'everything' is not one of")]
    [InlineData("--top-p", "1.5", "--top-p:")]
    public async Task Candidates_BadSetting_ExitsTwoNamingItAndWritesNothing(string option, string value, string message)
    {
        await ImportWorkspaceAsync();
        List<string> args = ["candidates", "--db", Db, "--workspace", "press", "--model", DemoModel, "--prompts", "pairs"];
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);

        var run = await ModelCliFixture.RunAsync([.. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        await using var db = new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)).CreateDbContext();
        Assert.Equal(1, await db.PreferencePairs.CountAsync());
    }

    [Fact]
    public async Task Evaluate_CreateGenerateReport_StoresOneAnswerPerModelAndPrompt()
    {
        await ImportWorkspaceAsync();
        await new EvaluationService(new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)), TimeProvider.System)
            .AddHeldOutPromptsAsync("press", ["How do I check the pump?", "When is the oil changed?"], "pumps", "mori");

        var create = await ModelCliFixture.RunAsync("evaluate", "create", "--db", Db, "--workspace", "press", "--name", "demo vs fixture",
            "--model", $"demo={DemoModel}", "--model", $"fixture={fixture.ModelDirectory}", "--max-new-tokens", "8");
        var id = CreatedPattern().Match(create.Stdout).Groups[1].Value;
        var progress = Path.Combine(_folder, "progress.json");
        var generate = await ModelCliFixture.RunAsync("evaluate", "generate", "--db", Db, "--evaluation", id, "--progress", progress);
        var report = await ModelCliFixture.RunAsync("evaluate", "report", "--db", Db, "--evaluation", id);

        Assert.True(create.ExitCode == 0, create.Stderr);
        Assert.Contains("2 models, 2 prompts", create.Stdout, StringComparison.Ordinal);
        Assert.True(generate.ExitCode == 0, generate.Stderr + generate.Stdout);
        Assert.Equal(new JobProgress(4, 4, JobProgress.Finished), JobProgress.TryRead(progress));
        await using var db = new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)).CreateDbContext();
        var answers = await db.EvaluationAnswers.ToListAsync();
        Assert.Equal(4, answers.Count);
        Assert.All(answers, a => Assert.InRange(a.TokenCount, 1, 8));
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("demo vs fixture: 0 wins / 0 ties / 0 losses", report.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"demo: mean length [\d.]+ chars / [\d.]+ tokens, distinct-2 [\d.]+", report.Stdout);
    }

    [GeneratedRegex(@"(\d+) pairs queued for judging")]
    private static partial Regex QueuedPattern();

    [GeneratedRegex(@"evaluation (\d+):")]
    private static partial Regex CreatedPattern();
}
