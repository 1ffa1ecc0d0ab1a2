using System.Globalization;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Training;

/// <param name="NeedsSft">The run has an SFT stage, so the snapshot must hold SFT examples in its train split.</param>
/// <param name="NeedsPairs">The run has a DPO stage, so the snapshot must hold preference pairs in its train split.</param>
/// <param name="RunsFolder">The folder the run's own folder is made in.</param>
public sealed record TrainingRunRequest(
    string WorkspaceName, string Preset, string SettingsJson, string RequestedBy, string RunsFolder, bool NeedsSft, bool NeedsPairs);

/// <param name="DpoFromBaseSettingsJson">The first arm's settings: the dpo stage only, the base model as its reference.</param>
/// <param name="SftThenDpoSettingsJson">The second arm's: the same settings with the sft stage before dpo.</param>
public sealed record AblationRequest(
    string WorkspaceName, string Preset, string DpoFromBaseSettingsJson, string SftThenDpoSettingsJson, string RequestedBy, string RunsFolder);

/// <summary>The two arms of an ablation; <see cref="Id"/> is the ablation's id (its first arm's run id).</summary>
public sealed record AblationRuns(TrainingRun DpoFromBase, TrainingRun SftThenDpo)
{
    public long Id => DpoFromBase.Id;
}

/// <summary>
/// The persistent queue of training runs (the TrainingRuns table): runs are queued with a fresh snapshot, taken
/// oldest first, and marked as they end. It survives restarts: <see cref="InterruptAbandonedAsync"/> marks the runs
/// that were running when the previous process stopped.
/// </summary>
public sealed class TrainingRunQueue(IDbContextFactory<AnnotateDbContext> dbFactory, SnapshotService snapshots, TimeProvider clock)
{
    /// <summary>
    /// Snapshots the workspace now (so later edits never reach the run) and queues a run on it. Throws
    /// <see cref="WorkspaceNotFoundException"/>, or <see cref="ArgumentException"/> when the snapshot has nothing to
    /// train a requested stage on.
    /// </summary>
    public async Task<TrainingRun> EnqueueAsync(TrainingRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runs = await EnqueueOnNewSnapshotAsync(
            request.WorkspaceName, request.RequestedBy, request.RunsFolder, request.NeedsSft, request.NeedsPairs,
            [(request.Preset, request.SettingsJson)], ablation: false, cancellationToken);
        return runs[0];
    }

    /// <summary>
    /// Queues the two arms of an ablation on one new snapshot: DPO from the base model first, then SFT → DPO, linked by
    /// <see cref="TrainingRun.AblationId"/> (the first arm's id). The snapshot must hold SFT examples and pairs to train
    /// on, since the second arm trains both stages; throws as <see cref="EnqueueAsync"/> does.
    /// </summary>
    /// <returns>The two runs in queue order: DPO from the base model, then SFT → DPO.</returns>
    public async Task<AblationRuns> EnqueueAblationAsync(AblationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runs = await EnqueueOnNewSnapshotAsync(
            request.WorkspaceName, request.RequestedBy, request.RunsFolder, needsSft: true, needsPairs: true,
            [(request.Preset, request.DpoFromBaseSettingsJson), (request.Preset, request.SftThenDpoSettingsJson)], ablation: true, cancellationToken);
        return new AblationRuns(runs[0], runs[1]);
    }

    /// <summary>The two arms of ablation <paramref name="ablationId"/>, in queue order.</summary>
    public async Task<AblationRuns> GetAblationAsync(long ablationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.TrainingRuns.AsNoTracking().Where(r => r.AblationId == ablationId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return runs.Count == 2
            ? new AblationRuns(runs[0], runs[1])
            : throw new KeyNotFoundException($"There is no ablation {ablationId}.");
    }

    private async Task<List<TrainingRun>> EnqueueOnNewSnapshotAsync(
        string workspaceName, string requestedBy, string runsFolder, bool needsSft, bool needsPairs,
        IReadOnlyList<(string Preset, string SettingsJson)> arms, bool ablation, CancellationToken cancellationToken)
    {
        var snapshot = (await snapshots.CreateAsync(new SnapshotRequest(workspaceName, CreatedBy: requestedBy), cancellationToken)).Snapshot;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireTrainingDataAsync(db, snapshot, workspaceName, needsSft, needsPairs, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var runs = arms.Select(arm => new TrainingRun
        {
            WorkspaceId = snapshot.WorkspaceId,
            SnapshotId = snapshot.Id,
            Preset = arm.Preset,
            SettingsJson = arm.SettingsJson,
            RequestedBy = requestedBy,
            CreatedAt = now,
        }).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One save per run keeps the ids in queue order, which is the order the trainer takes them.
        foreach (var run in runs)
        {
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var run in runs)
        {
            // The id makes the folder name unique in this database; the time keeps folders of several databases apart and sorted.
            run.RunKey = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-r{run.Id}");
            run.RunFolder = Path.GetFullPath(Path.Combine(runsFolder, run.RunKey));
            run.AblationId = ablation ? runs[0].Id : null;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return runs;
    }

    /// <summary>Takes the oldest queued run and marks it running; null when none waits.</summary>
    public async Task<TrainingRun?> StartNextAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.Where(r => r.State == TrainingRunState.Queued).OrderBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
            return null;
        run.Start(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    public Task<TrainingRun> FinishAsync(long id, TrainingRunState outcome, string? error, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, run => run.Finish(outcome, clock.GetUtcNow().UtcDateTime, error), cancellationToken);

    /// <summary>Cancels a queued run, or flags a running one (the caller tells its trainer to stop).</summary>
    public Task<TrainingRun> RequestCancelAsync(long id, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, run => run.RequestCancel(clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <summary>Queues a failed, cancelled or interrupted run again, to continue from its last checkpoint.</summary>
    public Task<TrainingRun> ResumeAsync(long id, string requestedBy, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, run => run.QueueResume(requestedBy), cancellationToken);

    /// <summary>
    /// Marks every run still "running" as interrupted: called at start-up, before the trainer takes any run, when no
    /// trainer of this app can be alive.
    /// </summary>
    public async Task<IReadOnlyList<TrainingRun>> InterruptAbandonedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var running = await db.TrainingRuns.Where(r => r.State == TrainingRunState.Running).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var run in running)
            run.Interrupt(now, "The app stopped while this run was training; resume it to continue from its last checkpoint.");
        await db.SaveChangesAsync(cancellationToken);
        return running;
    }

    public async Task<TrainingRun> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no training run {id}.");
    }

    /// <summary>The workspace's runs, newest first.</summary>
    public async Task<IReadOnlyList<TrainingRun>> ListAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        return await db.TrainingRuns.AsNoTracking().Where(r => r.WorkspaceId == workspace.Id)
            .OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
    }

    private async Task<TrainingRun> UpdateAsync(long id, Action<TrainingRun> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no training run {id}.");
        change(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    private static async Task RequireTrainingDataAsync(
        AnnotateDbContext db, DatasetSnapshot snapshot, string workspaceName, bool needsSft, bool needsPairs, CancellationToken cancellationToken)
    {
        if (needsSft && !await db.SnapshotSftItems.AnyAsync(i => i.SnapshotId == snapshot.Id && i.Split == DatasetSplit.Train, cancellationToken))
            throw new ArgumentException(
                $"Snapshot {snapshot.Id} of workspace '{workspaceName}' has no approved SFT examples to train on; approve some, or train the dpo stage only.");
        if (needsPairs && !await db.SnapshotPairItems.AnyAsync(i => i.SnapshotId == snapshot.Id && i.Split == DatasetSplit.Train, cancellationToken))
            throw new ArgumentException(
                $"Snapshot {snapshot.Id} of workspace '{workspaceName}' has no resolved preference pairs to train on; judge some, or train the sft stage only.");
    }
}
