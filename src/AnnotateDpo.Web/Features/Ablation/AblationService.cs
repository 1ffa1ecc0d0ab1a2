using System.Security.Claims;
using System.Text.Json;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Dynamics;
using AnnotateDpo.Web.Features.Training;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Web.Features.Ablation;

/// <summary>One arm as the page shows it: the run, where it is, its DPO diagnostics (null until it has written its config) and figures.</summary>
public sealed record AblationArm(TrainingRun Run, RunProgress Progress, RunDynamics? Dynamics, AblationArmFigures Figures)
{
    public string? DpoModelFolder => TrainingService.ModelFolder(Run, "dpo");
}

/// <summary>
/// The blind verdicts between the two final DPO models, from SFT → DPO's side: <see cref="HeadToHead.Model"/> is SFT → DPO.
/// </summary>
public sealed record AblationWinRate(long EvaluationId, HeadToHead SftFirst);

/// <summary>Everything the comparison page shows of one ablation.</summary>
/// <param name="EvaluationId">The newest evaluation comparing exactly the two final DPO models; null when there is none.</param>
/// <param name="WinRate">Its head to head once anyone has judged; null before.</param>
public sealed record AblationView(
    long Id, string Workspace, AblationArm DpoFromBase, AblationArm SftThenDpo, AblationVerdict Verdict, long? EvaluationId, AblationWinRate? WinRate)
{
    public bool BothSucceeded => DpoFromBase.Run.State == TrainingRunState.Succeeded && SftThenDpo.Run.State == TrainingRunState.Succeeded;
}

/// <summary>
/// Reads an ablation's two runs (live while they train), computes the side-by-side figures and the verdict, finds the
/// blind evaluation of the two final models, and creates one on request. Managers only, checked by the training service.
/// </summary>
public sealed class AblationService(TrainingService training, RunDynamicsService dynamics, EvaluationService evaluations, IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public const string SftFirstLabel = "SFT → DPO";
    public const string FromBaseLabel = "DPO from base";

    public TrainingMonitor Monitor => training.Monitor;

    /// <exception cref="KeyNotFoundException">There is no such ablation.</exception>
    public async Task<AblationView> LoadAsync(ClaimsPrincipal user, long ablationId, CancellationToken cancellationToken = default)
    {
        var runs = await training.GetAblationAsync(user, ablationId, cancellationToken);
        string workspace;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            workspace = await db.Workspaces.Where(w => w.Id == runs.DpoFromBase.WorkspaceId).Select(w => w.Name).SingleAsync(cancellationToken);
        var fromBase = Arm(runs.DpoFromBase);
        var sftFirst = Arm(runs.SftThenDpo);
        var (evaluationId, winRate) = await FindEvaluationAsync(workspace, fromBase, sftFirst, cancellationToken);
        return new AblationView(ablationId, workspace, fromBase, sftFirst, AblationVerdict.Judge(fromBase.Figures, sftFirst.Figures), evaluationId, winRate);
    }

    /// <summary>Creates a blind evaluation of the two final DPO models on the ablation's snapshot; returns its id.</summary>
    /// <exception cref="InvalidOperationException">An arm has not succeeded, so it has no final model yet.</exception>
    public async Task<long> CreateEvaluationAsync(ClaimsPrincipal user, long ablationId, CancellationToken cancellationToken = default)
    {
        var view = await LoadAsync(user, ablationId, cancellationToken);
        if (view.SftThenDpo.DpoModelFolder is not { } sftFirst || view.DpoFromBase.DpoModelFolder is not { } fromBase)
            throw new InvalidOperationException($"Ablation {ablationId} has no final DPO model in each arm yet; wait until both runs succeed.");
        var evaluation = await evaluations.CreateAsync(
            new EvaluationRequest(view.Workspace, $"Does SFT first pay off? (ablation {ablationId})",
                [new ModelEntry(SftFirstLabel, sftFirst), new ModelEntry(FromBaseLabel, fromBase)], view.SftThenDpo.Run.SnapshotId),
            user.Identity!.Name!, cancellationToken);
        return evaluation.Id;
    }

    private AblationArm Arm(TrainingRun run)
    {
        var settings = TrainingSettings.FromJson(run.SettingsJson);
        var stages = TrainerFiles.Stages.Where(s => s == "sft" ? settings.Sft : settings.Dpo).ToList();
        var progress = RunProgress.Of(stages, training.Metrics(run), training.Status(run));
        RunDynamics? diagnostics;
        try
        {
            diagnostics = dynamics.Load(run.RunKey);
        }
        catch (Exception error) when (error is DirectoryNotFoundException or JsonException)
        {
            // Queued, or its trainer is writing config.json right now: nothing to show of it yet.
            diagnostics = null;
        }
        var metrics = Directory.Exists(run.RunFolder) ? RunLogReader.ReadMetrics(run.RunFolder) : [];
        return new AblationArm(run, progress, diagnostics, AblationArmFigures.Compute(diagnostics?.Pairs, metrics));
    }

    private async Task<(long?, AblationWinRate?)> FindEvaluationAsync(
        string workspace, AblationArm fromBase, AblationArm sftFirst, CancellationToken cancellationToken)
    {
        if (fromBase.DpoModelFolder is not { } fromBaseFolder || sftFirst.DpoModelFolder is not { } sftFirstFolder)
            return (null, null);
        foreach (var summary in (await evaluations.ListAsync(workspace, cancellationToken)).Where(e => e.Models == 2))
        {
            var evaluation = await evaluations.GetAsync(workspace, summary.Id, cancellationToken);
            var sftModel = evaluation.Models.FirstOrDefault(m => SamePath(m.Path, sftFirstFolder));
            if (sftModel is null || !evaluation.Models.Any(m => SamePath(m.Path, fromBaseFolder)))
                continue;
            if (summary.Judgments == 0)
                return (summary.Id, null);
            var headToHead = (await evaluations.ReportAsync(summary.Id, cancellationToken)).Overall.Single();
            var fromSftSide = headToHead.Model == sftModel.Label
                ? headToHead
                : new HeadToHead(headToHead.Opponent, headToHead.Model, headToHead.Losses, headToHead.Ties, headToHead.Wins);
            return (summary.Id, new AblationWinRate(summary.Id, fromSftSide));
        }
        return (null, null);
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
