using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Objectives;
using TrainingChatMessage = AnnotateDpo.Training.Tokenization.ChatMessage;

namespace AnnotateDpo.Cli.Commands;

/// <summary>A dataset snapshot as the trainer takes it: SFT examples and preference pairs, each split into train and eval.</summary>
internal sealed record SnapshotTrainingData(
    DatasetSnapshot Snapshot,
    IReadOnlyList<SftSample> SftTrain,
    IReadOnlyList<SftSample> SftEval,
    IReadOnlyList<PreferenceSample> PairTrain,
    IReadOnlyList<PreferenceSample> PairEval)
{
    /// <summary>Snapshot <paramref name="snapshotId"/> of the workspace, or a new snapshot of it now when null.</summary>
    public static async Task<SnapshotTrainingData> LoadAsync(
        AnnotateDbContextFactory factory, string workspaceName, long? snapshotId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadSnapshotAsync(factory, workspaceName, snapshotId, cancellationToken);
        var (sftTrain, sftEval) = Split(snapshot.SftItems, i => i.Split, i => new SftSample(Convert(i.Messages)));
        var (pairTrain, pairEval) = Split(snapshot.PairItems, i => i.Split, i => new PreferenceSample(Convert(i.Prompt), i.Chosen, i.Rejected, i.SourceKey));
        return new SnapshotTrainingData(snapshot, sftTrain, sftEval, pairTrain, pairEval);
    }

    private static async Task<DatasetSnapshot> LoadSnapshotAsync(
        AnnotateDbContextFactory factory, string workspaceName, long? snapshotId, CancellationToken cancellationToken)
    {
        var service = new SnapshotService(factory, TimeProvider.System);
        if (snapshotId is not { } given)
        {
            var created = await service.CreateAsync(new SnapshotRequest(workspaceName), cancellationToken);
            return await service.GetAsync(created.Snapshot.Id, cancellationToken);
        }

        long workspaceId;
        await using (var db = factory.CreateDbContext())
            workspaceId = (await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken)).Id;
        var snapshot = await service.GetAsync(given, cancellationToken);
        return snapshot.WorkspaceId == workspaceId
            ? snapshot
            : throw new ArgumentException($"Snapshot {given} belongs to another workspace than '{workspaceName}'.");
    }

    private static (List<TSample> Train, List<TSample> Eval) Split<TItem, TSample>(
        IEnumerable<TItem> items, Func<TItem, DatasetSplit> split, Func<TItem, TSample> convert)
    {
        var list = items.ToList();
        return (list.Where(i => split(i) == DatasetSplit.Train).Select(convert).ToList(),
            list.Where(i => split(i) == DatasetSplit.Eval).Select(convert).ToList());
    }

    private static List<TrainingChatMessage> Convert(IEnumerable<ChatMessage> messages) =>
        messages.Select(m => new TrainingChatMessage(m.Role, m.Content)).ToList();

}
