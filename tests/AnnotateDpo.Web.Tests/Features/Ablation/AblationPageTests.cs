using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using AnnotateDpo.Core;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Web.Features.Ablation;
using AnnotateDpo.Web.Features.Dynamics;
using AnnotateDpo.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Ablation;

/// <summary>
/// The comparison page over two real tiny runs: the ablation is queued through the training service and trained by the
/// worker with the real trainer as its child process (the demo model, two steps per stage) on the Japanese demo workspace.
/// </summary>
public sealed class AblationPageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス設備保全";
    private static readonly TimeSpan GenerousWait = TimeSpan.FromMinutes(10);

    private static readonly ClaimsPrincipal Manager = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "mika"), new Claim(ClaimTypes.Role, AppRoles.Manager)], "test"));

    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-ablation-").FullName;
    private BackgroundService? _worker;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Database"] = Path.Combine(_folder, "ablation.db"),
            ["Training:RunsFolder"] = Path.Combine(_folder, "runs"),
            ["Training:PollInterval"] = "00:00:00.200",
            ["Training:Threads"] = "1",
            ["Training:Niceness"] = "0",
        }).Build());
        Services.AddLogging();
        Services.AddAnnotateCore();
        Services.AddTrainingFeature();
        Services.AddDynamicsFeature();
        Services.AddAblationFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("mika").SetRoles(AppRoles.Manager);

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var seed = Path.Combine(AppPaths.SeedDataFolder, "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [seed], new ImportOptions());
    }

    /// <summary>MudBlazor's services can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_worker is not null)
            await _worker.StopAsync(CancellationToken.None);
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<AblationRuns> TrainAblationAsync()
    {
        var training = Services.GetRequiredService<TrainingService>();
        _worker = Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();
        await _worker.StartAsync(CancellationToken.None);
        var queued = await training.StartAblationAsync(Manager, Workspace,
            new TrainingSettings { Preset = TrainingPreset.Demo, BaseModel = training.DemoModel, MaxSteps = 2, Seed = 7 });
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var runs = await training.GetAblationAsync(Manager, queued.Id);
            if (runs.DpoFromBase.IsFinished && runs.SftThenDpo.IsFinished)
                return runs;
            if (clock.Elapsed > GenerousWait)
                throw new TimeoutException($"Ablation {queued.Id} is still {runs.DpoFromBase.State} / {runs.SftThenDpo.State} after {GenerousWait}.");
            await Task.Delay(250);
        }
    }

    private IRenderedComponent<AblationPage> RenderPage(long ablationId)
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<AblationPage>(1);
            builder.AddAttribute(2, nameof(AblationPage.AblationId), ablationId);
            builder.CloseComponent();
        });
        var page = host.FindComponent<AblationPage>();
        page.WaitForElement("[data-testid=verdict]", TimeSpan.FromSeconds(30));
        return page;
    }

    private static string Cell(IRenderedComponent<AblationPage> page, string figure, int column) =>
        page.FindAll($"[data-testid=ablation-figures] tr[data-figure={figure}] td")[column].TextContent;

    [Fact]
    public async Task AblationPage_TwoFinishedRuns_ShowsBothFieldsTheirFiguresAVerdictAndEvaluatesTheFinalModels()
    {
        var runs = await TrainAblationAsync();
        Assert.Equal((TrainingRunState.Succeeded, TrainingRunState.Succeeded), (runs.DpoFromBase.State, runs.SftThenDpo.State));

        var page = RenderPage(runs.Id);

        var fromBase = AblationArmFigures.Read(runs.DpoFromBase.RunFolder);
        var sftFirst = AblationArmFigures.Read(runs.SftThenDpo.RunFolder);
        Assert.Equal(AblationVerdict.Judge(fromBase, sftFirst).Kind.ToString(), page.Find("[data-testid=verdict]").GetAttribute("data-verdict"));
        var evalPairs = RunStatus.Load(runs.SftThenDpo.RunFolder).Stages["dpo"].EvalCount;
        Assert.Equal(2, page.FindAll("figure.dynamics-plot").Count);
        Assert.Equal(evalPairs, page.FindAll("[data-testid=arm-dpo-from-base] g[data-role=pair]").Count);
        Assert.Equal(evalPairs, page.FindAll("[data-testid=arm-sft-then-dpo] g[data-role=pair]").Count);
        string Loss(double? value) => value!.Value.ToString("0.000", CultureInfo.CurrentCulture);
        Assert.Equal(Loss(fromBase.FinalSftLoss), Cell(page, "final-sft-loss", 1));
        Assert.Equal(Loss(sftFirst.FinalSftLoss), Cell(page, "final-sft-loss", 2));
        // DPO from the base model starts from the model SFT started from, scored on the same SFT eval examples.
        var sftStage = RunStatus.Load(runs.SftThenDpo.RunFolder).Stages["sft"];
        Assert.Equal(Loss(sftStage.InitialEval!["eval_loss"]), Cell(page, "initial-sft-loss", 1));
        Assert.Equal(Loss(sftStage.FinalEval!["eval_loss"]), Cell(page, "initial-sft-loss", 2));
        Assert.Equal(sftFirst.FinalAccuracy!.Value.ToString("P0", CultureInfo.CurrentCulture), Cell(page, "accuracy", 2));
        Assert.Contains(page.FindAll("caption"), caption => caption.TextContent == "Mean Δlog p_w over DPO steps");

        page.FindAll("[data-testid=win-rate] button").Single().Click();

        var evaluations = Services.GetRequiredService<EvaluationService>();
        var summary = Assert.Single(await evaluations.ListAsync(Workspace));
        var evaluation = await evaluations.GetAsync(Workspace, summary.Id);
        Assert.Equal(
            [Path.Combine(runs.SftThenDpo.RunFolder, "dpo"), Path.Combine(runs.DpoFromBase.RunFolder, "dpo")],
            evaluation.Models.OrderBy(m => m.Ordinal).Select(m => m.Path));
        Assert.EndsWith($"/evaluate/{Uri.EscapeDataString(Workspace)}/{summary.Id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void AblationPage_UnknownAblation_SaysSo()
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<AblationPage>(0);
            builder.AddAttribute(1, nameof(AblationPage.AblationId), 999L);
            builder.CloseComponent();
        });

        var error = host.WaitForElement("[data-testid=ablation-error]", TimeSpan.FromSeconds(30));

        Assert.Contains("no ablation 999", error.TextContent, StringComparison.Ordinal);
    }
}
