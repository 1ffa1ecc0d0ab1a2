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
        var snapshot = (await snapshots.CreateAsync(new SnapshotRequest(request.WorkspaceName, CreatedBy: request.RequestedBy), cancellationToken)).Snapshot;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireTrainingDataAsync(db, snapshot, request, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var run = new TrainingRun
        {
            WorkspaceId = snapshot.WorkspaceId,
            SnapshotId = snapshot.Id,
            Preset = request.Preset,
            SettingsJson = request.SettingsJson,
            RequestedBy = request.RequestedBy,
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        // The id makes the folder name unique in this database; the time keeps folders of several databases apart and sorted.
        run.RunKey = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-r{run.Id}");
        run.RunFolder = Path.GetFullPath(Path.Combine(request.RunsFolder, run.RunKey));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
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

    private static async Task RequireTrainingDataAsync(AnnotateDbContext db, DatasetSnapshot snapshot, TrainingRunRequest request, CancellationToken cancellationToken)
    {
        if (request.NeedsSft && !await db.SnapshotSftItems.AnyAsync(i => i.SnapshotId == snapshot.Id && i.Split == DatasetSplit.Train, cancellationToken))
            throw new ArgumentException(
                $"Snapshot {snapshot.Id} of workspace '{request.WorkspaceName}' has no approved SFT examples to train on; approve some, or train the dpo stage only.");
        if (request.NeedsPairs && !await db.SnapshotPairItems.AnyAsync(i => i.SnapshotId == snapshot.Id && i.Split == DatasetSplit.Train, cancellationToken))
            throw new ArgumentException(
                $"Snapshot {snapshot.Id} of workspace '{request.WorkspaceName}' has no resolved preference pairs to train on; judge some, or train the sft stage only.");
    }
}
