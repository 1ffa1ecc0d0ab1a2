using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;
using AnnotateDpo.Core;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using AnnotateDpo.Web.Features.Dynamics;
using AnnotateDpo.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Dynamics;

/// <summary>
/// The page over a run folder whose logs are written by the trainer's own <see cref="RunLog"/>: three eval pairs
/// over a DPO stage of 10 steps, one that rises, one displaced, one suppressed.
/// </summary>
public sealed class DynamicsPageTests : BunitContext, IAsyncLifetime
{
    private readonly string _runs = Directory.CreateTempSubdirectory("annotatedpo-dynamics-").FullName;

    public DynamicsPageTests()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Training:RunsFolder"] = _runs,
                ["Storage:Database"] = Path.Combine(_runs, "app.db"),
            })
            .Build());
        Services.AddLogging();
        // The page starts a remedied run through the training service, which needs the store.
        Services.AddAnnotateCore();
        Services.AddTrainingFeature();
        Services.AddDynamicsFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(_runs, recursive: true);
    }

    private static PairLogProbs Pair(int index, double chosen, double rejected, int chosenTokens, int rejectedTokens) =>
        new(index, chosen, rejected, Enumerable.Range(1, chosenTokens).ToArray(), Enumerable.Range(50, rejectedTokens).ToArray());

    /// <summary>A DPO-only run (so the readiness gate warns) whose eval pairs move as named.</summary>
    private void WriteRun(string runId, string? workspace = null, IReadOnlyList<string?>? pairKeys = null)
    {
        var folder = Path.Combine(_runs, runId);
        Directory.CreateDirectory(folder);
        var config = new TrainingRunConfig
        {
            RunId = runId,
            ModelDirectory = "/models/tiny",
            OutputDirectory = folder,
            Stages = [TrainingStage.Dpo],
            Loss = new PreferenceLossSettings { Beta = 0.1 },
            Workspace = workspace,
        };
        File.WriteAllText(Path.Combine(folder, TrainingRunConfig.FileName), config.ToJson());
        new RunStatus { RunId = runId, State = RunState.Completed, StartedAt = DateTimeOffset.UnixEpoch }.Save(folder);

        using var log = new RunLog(folder, pairKeys);
        void Eval(int step, double meanChosen, double margins, params PairLogProbs[] pairs) => log.Write(TrainingStage.Dpo,
            new EvaluationEvent(step, 10, new Dictionary<string, double>
            {
                ["eval_" + TrainingMetrics.LogpsChosen] = meanChosen,
                ["eval_" + TrainingMetrics.RewardsMargins] = margins,
            }, pairs), TimeSpan.Zero);

        Eval(0, -30, 0, Pair(0, -20, -30, 10, 10), Pair(1, -30, -40, 10, 20), Pair(2, -40, -20, 20, 10));
        for (var step = 1; step <= 10; step++)
            log.Write(TrainingStage.Dpo, new TrainingStepEvent(step, 10, new Dictionary<string, double> { [TrainingMetrics.Loss] = 0.6, [TrainingMetrics.GradNorm] = 1 }), TimeSpan.Zero);
        Eval(5, -31, 0.5, Pair(0, -19, -31, 10, 10), Pair(1, -31, -44, 10, 20), Pair(2, -40, -24, 20, 10));
        Eval(10, -32, 1, Pair(0, -18, -32, 10, 10), Pair(1, -33, -46, 10, 20), Pair(2, -40, -30, 20, 10));
    }

    private IRenderedComponent<DynamicsPage> RenderPage(string runId)
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<DynamicsPage>(1);
            builder.AddAttribute(2, nameof(DynamicsPage.RunId), runId);
            builder.CloseComponent();
        });
        return host.FindComponent<DynamicsPage>();
    }

    [Fact]
    public void DynamicsPage_FinishedRun_ShowsSummaryPlotTableAndAlerts()
    {
        WriteRun("run-a");

        var page = RenderPage("run-a");

        // Δlog p_w: +2, −3, 0; Δlog p_l: −2, −6, −10.
        Assert.Equal((-1 / 3.0).ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture), page.Find("[data-testid=mean-delta-chosen]").TextContent);
        Assert.Equal((-6.0).ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture), page.Find("[data-testid=mean-delta-rejected]").TextContent);
        Assert.Equal((1 / 3.0).ToString("P0", CultureInfo.CurrentCulture), page.Find("[data-testid=displacement-share]").TextContent);
        Assert.Equal(["0", "1", "2"], page.FindAll("tbody tr").Select(r => r.GetAttribute("data-pair")));
        Assert.Equal(["ChosenRose", "Displacement", "Suppression"], page.FindAll("g[data-role=pair]").Select(g => g.GetAttribute("data-outcome")));
        Assert.Equal(3, page.FindAll("polyline[data-role=trajectory]").Count);
        Assert.NotNull(page.Find("tr[data-pair='2'] [data-flag=Suppression]"));
        Assert.NotNull(page.Find("[data-alert=LikelihoodDisplacement]"));
        Assert.NotNull(page.Find("[data-alert=LikelihoodDisplacement] [data-remedy='preference_loss.rpo_alpha']"));
        Assert.NotNull(page.Find("[data-alert=SftSkipped] [data-remedy=stages]"));
    }

    [Fact]
    public void DynamicsPage_DpoAnswersGrowing_AlertsWithTheLengthNormalisedRemedyAndAButtonToApplyIt()
    {
        WriteRun("run-long");
        using (var log = new RunLog(Path.Combine(_runs, "run-long")))
        {
            EvalSample Answer(int tokens) => new(0, "How often is the filter changed?", new string('x', tokens), tokens, Finished: false);
            log.WriteSamples(TrainingStage.Dpo, 0, 10, [Answer(20)]);
            log.WriteSamples(TrainingStage.Dpo, 10, 10, [Answer(64)]);
        }

        var page = RenderPage("run-long");

        var alert = page.Find("[data-alert=ResponsesGrowing]");
        Assert.Contains((64 / 20.0).ToString("0.###", CultureInfo.CurrentCulture), alert.TextContent);
        Assert.NotNull(alert.QuerySelector("[data-remedy='preference_loss.loss_type']"));
        Assert.NotNull(alert.QuerySelector("[data-testid=apply-remedy]"));
    }

    [Fact]
    public async Task DynamicsPage_OpenAFlaggedPair_ShowsItAndSendsItToTheReviewQueueWithItsFlags()
    {
        AddAuthorization().SetAuthorized("boss").SetRoles("Manager");
        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync())
        {
            var workspace = new Workspace { Name = "press", CreatedAt = DateTime.UtcNow };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            db.PreferencePairs.Add(new PreferencePair
            {
                WorkspaceId = workspace.Id, Key = "pair-displaced", Prompt = [new(ChatRoles.User, "Which valve first?")],
                ResponseA = new PairResponse { Text = "The relief valve." }, ResponseB = new PairResponse { Text = "Any valve." },
                AuthorId = "import", CreatedAt = DateTime.UtcNow, ContentHash = "pair-displaced",
            });
            await db.SaveChangesAsync();
        }
        WriteRun("run-keys", "press", [null, "pair-displaced", null]);
        var page = RenderPage("run-keys");

        page.Find("tr[data-pair='1'] [data-testid=open-pair]").Click();
        page.WaitForElement("[data-testid=opened-pair]");
        Assert.Contains("The relief valve.", page.Find("[data-testid=opened-pair-displaced]").TextContent);
        page.Find("[data-testid=send-to-review]").Click();
        page.WaitForElement("[data-testid=sent-to-review]");

        var flagged = Assert.Single(await Services.GetRequiredService<PairReviewService>().ListOpenAsync("press"));
        Assert.Equal(("pair-displaced", "run run-keys", "boss"), (flagged.Pair.PairKey, flagged.Request.Source, flagged.Request.RequestedBy));
        Assert.StartsWith("displacement", flagged.Request.Reason, StringComparison.Ordinal);
        // Pairs without a key (logged before keys were) cannot be opened.
        Assert.Empty(page.FindAll("tr[data-pair='0'] [data-testid=open-pair]"));
    }

    [Fact]
    public void DynamicsPage_RunWithABasePass_MarksWhereEachPairSatBeforeSft()
    {
        WriteRun("run-base");
        using (var log = new RunLog(Path.Combine(_runs, "run-base")))
            log.WriteBasePass([Pair(0, -40, -30, 10, 10), Pair(1, -50, -40, 10, 20), Pair(2, -60, -20, 20, 10)]);

        var page = RenderPage("run-base");

        Assert.Equal(3, page.FindAll("rect[data-role=base]").Count);
        Assert.Equal(3, page.FindAll("line[data-role=sft-move]").Count);
        // Pair 0 under the base model: −40 / 10 and −30 / 10 tokens, p = e^−4, e^−3 per token.
        var atBase = page.Find("g[data-pair='0'] rect[data-role=base]");
        Assert.Equal(PlotFrame.X(Math.Exp(-4), new PlotRange(0, 1)) - 3.5, double.Parse(atBase.GetAttribute("x")!, CultureInfo.InvariantCulture), 2);
        Assert.NotNull(page.Find("[data-legend=base]"));
    }

    [Fact]
    public void DynamicsPage_TrainSplitDiagnosed_SwitchesTheTableToTheTrainPairs()
    {
        WriteRun("run-train");
        // What `annotatedpo runs diagnose` writes: the train pairs under the reference (step 0) and the final model.
        File.WriteAllLines(Path.Combine(_runs, "run-train", TrainSplitDiagnosis.FileName),
        [
            """{"stage":"dpo","step":0,"total_steps":10,"pairs":[{"index":0,"chosen":-10,"rejected":-12,"chosen_tokens":5,"rejected_tokens":5,"key":"t0"},{"index":1,"chosen":-8,"rejected":-9,"chosen_tokens":4,"rejected_tokens":4,"key":"t1"}]}""",
            """{"stage":"dpo","step":10,"total_steps":10,"pairs":[{"index":0,"chosen":-12,"rejected":-20,"chosen_tokens":5,"rejected_tokens":5},{"index":1,"chosen":-7,"rejected":-9.5,"chosen_tokens":4,"rejected_tokens":4}]}""",
        ]);
        var page = RenderPage("run-train");
        Assert.Equal(["0", "1", "2"], page.FindAll("tbody tr").Select(r => r.GetAttribute("data-pair")));

        page.Find("[data-testid=split-train]").Click();

        Assert.Equal(["0", "1"], page.FindAll("tbody tr").Select(r => r.GetAttribute("data-pair")));
        Assert.NotNull(page.Find("tr[data-pair='0'] [data-flag=Displacement]"));
        // Pair 0: Δlog p_w −2 while the margin grew by 6, and Δlog p_l −8: displaced and suppressed.
        Assert.Equal("Train split: 2 pairs from the reference to the final model; 1 displaced, 1 suppressed.",
            page.Find("[data-testid=train-split-summary]").TextContent);
    }

    [Fact]
    public void DynamicsPage_Probabilities_PlacesAPairAtItsPerTokenStart()
    {
        WriteRun("run-b");

        var page = RenderPage("run-b");

        // Pair 0 starts at log p = −20 / 10 tokens and −30 / 10 tokens: p = e^−2, e^−3 per token.
        var start = page.Find("g[data-pair='0'] circle[data-role=start]");
        Assert.Equal(PlotFrame.X(Math.Exp(-2), new PlotRange(0, 1)), double.Parse(start.GetAttribute("cx")!, CultureInfo.InvariantCulture), 2);
        Assert.Equal(PlotFrame.Y(Math.Exp(-3), new PlotRange(0, 1)), double.Parse(start.GetAttribute("cy")!, CultureInfo.InvariantCulture), 2);
    }

    [Fact]
    public void DynamicsPage_SwitchToLogCoordinates_RedrawsInLogSpace()
    {
        WriteRun("run-c");
        var page = RenderPage("run-c");

        page.Find("[data-testid=coordinates-log]").Click();

        var plot = page.Find("figure.dynamics-plot");
        Assert.Equal("LogProbability", plot.GetAttribute("data-coordinates"));
        // The lowest per-token value is pair 2's rejected answer at −30 / 10 = −3; with a tenth to spare the axes run from −4 to 0.
        var start = page.Find("g[data-pair='0'] circle[data-role=start]");
        Assert.Equal(PlotFrame.X(-2, new PlotRange(-4, 0)), double.Parse(start.GetAttribute("cx")!, CultureInfo.InvariantCulture), 2);
    }

    [Fact]
    public void DynamicsPage_UnknownRun_SaysSo()
    {
        var page = RenderPage("no-such-run");

        Assert.Contains("There is no run 'no-such-run'", page.Find("[data-testid=dynamics-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamicsPage_RunIdWithPathSeparators_IsRejected()
    {
        WriteRun("run-d");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Services.GetRequiredService<RunDynamicsService>().Load("../" + Path.GetFileName(_runs)));

        Assert.Contains("is not a run id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamicsPage_Japanese_ShowsTheJapaneseTexts()
    {
        WriteRun("run-e");
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ja-JP");
        try
        {
            var page = RenderPage("run-e");

            Assert.Contains("DPO のダイナミクス", page.Markup, StringComparison.Ordinal);
            Assert.Contains("このページの読み方", page.Markup, StringComparison.Ordinal);
            Assert.Contains("SFT を行わずに DPO を実行しました", page.Find("[data-alert=SftSkipped]").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
