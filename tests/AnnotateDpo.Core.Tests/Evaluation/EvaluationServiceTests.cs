using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Evaluation;

public sealed class EvaluationServiceTests
{
    private const string Workspace = "press";

    private static async Task SeedWorkspaceAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        db.Workspaces.Add(new Workspace { Name = Workspace, CreatedAt = DateTime.UtcNow, Categories = [new Category { Name = "safety" }] });
        await db.SaveChangesAsync();
    }

    /// <summary>A base model folder and a finished run whose SFT stage measured an eval loss of 2.5.</summary>
    private static (string Base, string Sft) ModelFolders(string folder)
    {
        var baseModel = Directory.CreateDirectory(Path.Combine(folder, "models", "tiny")).FullName;
        File.WriteAllText(Path.Combine(baseModel, "config.json"), "{}");
        var run = Directory.CreateDirectory(Path.Combine(folder, "runs", "r1")).FullName;
        File.WriteAllText(Path.Combine(run, "run.json"),
            """{"run_id":"r1","status":"completed","stages":{"sft":{"model":"sft","final_eval":{"eval_loss":2.5}},"dpo":{"model":"dpo","final_eval":{"eval_rewards/accuracies":0.75}}}}""");
        foreach (var stage in new[] { "sft", "dpo" })
        {
            Directory.CreateDirectory(Path.Combine(run, stage));
            File.WriteAllText(Path.Combine(run, stage, "config.json"), "{}");
        }
        return (baseModel, Path.Combine(run, "sft"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task BlindEvaluation_CreateGenerateJudgeReportAndAddToPool_StoresEveryStepAndMapsVerdictsToModels(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await SeedWorkspaceAsync(database);
        var (baseModel, sftModel) = ModelFolders(database.Folder);
        var service = new EvaluationService(database.Factory, TimeProvider.System);

        Assert.Equal(2, await service.AddHeldOutPromptsAsync(Workspace, ["How do I lock out the press?", " ", "How do I lock out  the press?", "When is the oil changed?"], "safety", "mori"));
        var evaluation = await service.CreateAsync(new EvaluationRequest(Workspace, "first", [new ModelEntry("base", baseModel), new ModelEntry("sft", sftModel)]), "mori");
        Assert.Null(await service.NextComparisonAsync(evaluation.Id, "tanaka"));
        var models = evaluation.Models.ToDictionary(m => m.Label, m => m.Id);
        await Assert.ThrowsAsync<ArgumentException>(() => service.SaveAnswersAsync(evaluation.Id, [new GeneratedAnswer(evaluation.Items[0].Id, models["base"], "x", 1)]));
        await service.SaveAnswersAsync(evaluation.Id, evaluation.Items.SelectMany(i => evaluation.Models.Select(m =>
            new GeneratedAnswer(i.Id, m.Id, $"{m.Label} says: check the pump for prompt {i.Ordinal}", 8))).ToList());

        var shown = new List<BlindComparison>();
        while (await service.NextComparisonAsync(evaluation.Id, "tanaka") is { } next)
        {
            shown.Add(next);
            var judgment = await service.SubmitComparisonAsync(evaluation.Id, "tanaka", next.ItemId, next.LeftModelId, next.RightModelId,
                next.LeftModelId == models["sft"] ? ComparisonVerdict.Left : ComparisonVerdict.Right, 3);
            Assert.Equal((next.LeftModelId, next.RightModelId), (judgment.LeftModelId, judgment.RightModelId));
        }
        var report = await service.ReportAsync(evaluation.Id);

        Assert.Equal(2, shown.Count);
        Assert.All(shown, s => Assert.StartsWith(s.LeftModelId == models["base"] ? "base says" : "sft says", s.LeftText, StringComparison.Ordinal));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            service.SubmitComparisonAsync(evaluation.Id, "tanaka", shown[0].ItemId, shown[0].RightModelId, shown[0].LeftModelId, ComparisonVerdict.Tie, 1));
        var head = Assert.Single(report.Overall);
        Assert.Equal(("base", "sft", 0, 2), (head.Model, head.Opponent, head.Wins, head.Losses));
        Assert.Equal(2, report.PerCategory["safety"][0].Losses);
        Assert.Equal(2.5, report.Metrics.Single(m => m.Model == "sft").EvalSftLoss);
        Assert.Null(report.Metrics.Single(m => m.Model == "base").EvalSftLoss);
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.SaveAnswersAsync(evaluation.Id, []));

        var added = await service.AddToPoolAsync(evaluation.Id, null, "mori");
        var again = await service.AddToPoolAsync(evaluation.Id, null, "mori");

        Assert.Equal(new PoolAddition(2, 0, 0), added);
        Assert.Equal(new PoolAddition(0, 2, 0), again);
        await using var db = database.CreateDbContext();
        var pairs = await db.PreferencePairs.Include(p => p.Judgments).Include(p => p.Category).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(2, pairs.Count);
        Assert.All(pairs, p =>
        {
            Assert.Equal([EvaluationService.PoolTag], p.Tags);
            Assert.Equal("safety", p.Category?.Name);
            Assert.Equal(ResponseOrigin.Model, p.ResponseA.Origin);
            Assert.Contains($"evaluation={evaluation.Id}", p.ResponseA.Settings, StringComparison.Ordinal);
            var sftSide = p.ResponseA.Text.StartsWith("sft", StringComparison.Ordinal) ? p.ResponseA : p.ResponseB;
            Assert.Equal("r1", sftSide.Run);
            var judgment = Assert.Single(p.Judgments);
            Assert.Equal("tanaka", judgment.AnnotatorId);
            Assert.Equal(ReferenceEquals(sftSide, p.ResponseA) ? Verdict.A : Verdict.B, judgment.Verdict);
        });
    }

    [Fact]
    public async Task CreateAsync_BadRequests_NameTheField()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await SeedWorkspaceAsync(database);
        var (baseModel, sftModel) = ModelFolders(database.Folder);
        var service = new EvaluationService(database.Factory, TimeProvider.System);

        var one = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync(new EvaluationRequest(Workspace, "e", [new ModelEntry("a", baseModel)]), "mori"));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync(new EvaluationRequest(Workspace, "e", [new ModelEntry("a", baseModel), new ModelEntry("a", sftModel)]), "mori"));
        var notModel = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync(new EvaluationRequest(Workspace, "e", [new ModelEntry("a", baseModel), new ModelEntry("b", database.Folder)]), "mori"));
        var noPrompts = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync(new EvaluationRequest(Workspace, "e", [new ModelEntry("a", baseModel), new ModelEntry("b", sftModel)]), "mori"));

        Assert.StartsWith("Models:", one.Message, StringComparison.Ordinal);
        Assert.Contains("'a' is given twice", twice.Message, StringComparison.Ordinal);
        Assert.Contains("is not a model folder", notModel.Message, StringComparison.Ordinal);
        Assert.StartsWith("Prompts:", noPrompts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelCatalog_SeedModelsAndACompletedRun_OffersBaseAndBothStagesWithTheirFigures()
    {
        var folder = Directory.CreateTempSubdirectory("annotatedpo-catalog-").FullName;
        try
        {
            var (baseModel, sftModel) = ModelFolders(folder);
            Directory.CreateDirectory(Path.Combine(folder, "runs", "r0-running"));
            File.WriteAllText(Path.Combine(folder, "runs", "r0-running", "run.json"), """{"run_id":"r0","status":"running","stages":{}}""");

            var choices = ModelCatalog.List(Path.Combine(folder, "models"), Path.Combine(folder, "runs"));

            Assert.Equal(["tiny", "r1/sft", "r1/dpo"], choices.Select(c => c.Label).ToArray());
            Assert.Equal(baseModel, choices[0].Path);
            Assert.Equal(("r1", "sft"), ModelCatalog.RunOf(sftModel));
            Assert.Null(ModelCatalog.RunOf(baseModel));
            Assert.Equal(new RunEvalFigures(null, 0.75), ModelCatalog.EvalFigures(choices[2].Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
