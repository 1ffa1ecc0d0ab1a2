using System.Text.Json;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Export;

/// <summary>
/// Writes a workspace as full-fidelity JSONL or as CSV in the import columns, and a dataset snapshot as the folder
/// TRL trainers and <c>datasets.load_dataset</c> read. Rows are streamed; every file appears complete or not at all.
/// </summary>
public sealed class ExportService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public const string SftCsvFile = "sft.csv";
    public const string PairsCsvFile = "pairs.csv";

    /// <summary>
    /// The workspace line, the SFT examples by key, then the pairs by key with their judgments in the order they
    /// were made (createdAt, id). Importing the file gives back the same content (docs/formats.md).
    /// </summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<ExportResult> ExportFullAsync(string workspaceName, string outFile, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateDbContext();
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, ct);
        var categoryNames = workspace.Categories.ToDictionary(c => c.Id, c => c.Name);

        await using var file = new AtomicFile(outFile);
        int sft = 0, pairs = 0, judgments = 0;
        await using (var jsonl = new JsonlWriter(file.Stream))
        {
            await jsonl.WriteLineAsync(json => FullFormatWriter.Workspace(json, workspace), ct);
            var examples = db.SftExamples.AsNoTracking().Where(e => e.WorkspaceId == workspace.Id).OrderBy(e => e.Key);
            await foreach (var example in examples.AsAsyncEnumerable().WithCancellation(ct))
            {
                await jsonl.WriteLineAsync(json => FullFormatWriter.Sft(json, example, CategoryName(categoryNames, example.CategoryId)), ct);
                sft++;
            }
            var pairQuery = db.PreferencePairs.AsNoTracking().Include(p => p.Judgments)
                .Where(p => p.WorkspaceId == workspace.Id).OrderBy(p => p.Key);
            await foreach (var pair in pairQuery.AsAsyncEnumerable().WithCancellation(ct))
            {
                await jsonl.WriteLineAsync(json => FullFormatWriter.Pair(json, pair, CategoryName(categoryNames, pair.CategoryId)), ct);
                pairs++;
                judgments += pair.Judgments.Count;
            }
        }
        await file.CommitAsync();
        return new ExportResult(sft, pairs, judgments);
    }

    /// <summary>
    /// <c>sft.csv</c> (id,system,prompt,response,category,tags) and <c>pairs.csv</c> (id,prompt,chosen,rejected,category,tags),
    /// which the importer reads back. Only curated data: approved SFT examples and pairs with a resolved verdict
    /// (<see cref="PairResolver"/>); rows the columns cannot hold (several turns) are counted as left out.
    /// </summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<CsvExportResult> ExportCsvAsync(string workspaceName, string outFolder, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateDbContext();
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, ct);
        var categoryNames = workspace.Categories.ToDictionary(c => c.Id, c => c.Name);
        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(db, workspace.Id, ct);

        await using var sftFile = new AtomicFile(Path.Combine(outFolder, SftCsvFile));
        await using var pairsFile = new AtomicFile(Path.Combine(outFolder, PairsCsvFile));
        int sft = 0, sftLeftOut = 0, pairs = 0, pairsLeftOut = 0;
        await using (var csv = CreateCsvWriter(sftFile.Stream))
        {
            WriteRecord(csv, "id", "system", "prompt", "response", "category", "tags");
            var examples = db.SftExamples.AsNoTracking().Where(e => e.WorkspaceId == workspace.Id).OrderBy(e => e.Key);
            await foreach (var example in examples.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (example.Status != SftStatus.Approved || SingleTurn(example.Messages) is not var (system, prompt, response))
                {
                    sftLeftOut++;
                    continue;
                }
                WriteRecord(csv, example.Key, system, prompt, response, CategoryName(categoryNames, example.CategoryId), Tags(example.Tags));
                sft++;
            }
        }
        await using (var csv = CreateCsvWriter(pairsFile.Stream))
        {
            WriteRecord(csv, "id", "prompt", "chosen", "rejected", "category", "tags");
            var pairQuery = db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id).OrderBy(p => p.Key);
            await foreach (var pair in pairQuery.AsAsyncEnumerable().WithCancellation(ct))
            {
                var outcome = resolutions.TryGetValue(pair.Id, out var resolution) ? resolution.Outcome : PairOutcome.Unjudged;
                if (outcome is not (PairOutcome.AChosen or PairOutcome.BChosen) || pair.Prompt is not [{ Role: ChatRoles.User } prompt])
                {
                    pairsLeftOut++;
                    continue;
                }
                var (chosen, rejected) = outcome == PairOutcome.AChosen
                    ? (pair.ResponseA.Text, pair.ResponseB.Text)
                    : (pair.ResponseB.Text, pair.ResponseA.Text);
                WriteRecord(csv, pair.Key, prompt.Content, chosen, rejected, CategoryName(categoryNames, pair.CategoryId), Tags(pair.Tags));
                pairs++;
            }
        }
        await sftFile.CommitAsync();
        await pairsFile.CommitAsync();
        return new CsvExportResult(sft, pairs, sftLeftOut, pairsLeftOut);
    }

    /// <summary>
    /// The snapshot as TRL reads it: <c>sft_train.jsonl</c> and <c>sft_eval.jsonl</c> (<c>{"messages":[…]}</c>),
    /// <c>preference_train.jsonl</c> and <c>preference_eval.jsonl</c> (conversational <c>{"prompt","chosen","rejected"}</c>),
    /// and <c>dataset_card.md</c> with the counts, the content hash and how to load the files.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No snapshot has that id.</exception>
    public async Task<SnapshotExportResult> ExportSnapshotAsync(long snapshotId, string outFolder, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateDbContext();
        var snapshot = await db.Snapshots.AsNoTracking().SingleOrDefaultAsync(s => s.Id == snapshotId, ct)
                       ?? throw new KeyNotFoundException($"Snapshot {snapshotId} does not exist.");
        var workspaceName = await db.Workspaces.Where(w => w.Id == snapshot.WorkspaceId).Select(w => w.Name).SingleAsync(ct);
        var sftItems = await db.SnapshotSftItems.AsNoTracking().Where(i => i.SnapshotId == snapshotId).OrderBy(i => i.Ordinal).ToListAsync(ct);
        var pairItems = await db.SnapshotPairItems.AsNoTracking().Where(i => i.SnapshotId == snapshotId).OrderBy(i => i.Ordinal).ToListAsync(ct);

        var files = new List<AtomicFile>();
        try
        {
            AtomicFile Create(string name)
            {
                files.Add(new AtomicFile(Path.Combine(outFolder, name)));
                return files[^1];
            }
            foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Eval })
            {
                await WriteJsonlAsync(Create(SnapshotFiles.Sft(split)), sftItems.Where(i => i.Split == split),
                    (json, item) => JsonlWriter.WriteMessages(json, "messages", item.Messages), ct);
                await WriteJsonlAsync(Create(SnapshotFiles.Preference(split)), pairItems.Where(i => i.Split == split),
                    WritePreference, ct);
            }
            var card = Create(SnapshotFiles.DatasetCard);
            await using (var writer = new StreamWriter(card.Stream, Utf8.NoBom, leaveOpen: true))
                await writer.WriteAsync(DatasetCard.Render(workspaceName, snapshot, sftItems, pairItems).AsMemory(), ct);
            foreach (var file in files) await file.CommitAsync();
        }
        finally
        {
            foreach (var file in files) await file.DisposeAsync();
        }

        return new SnapshotExportResult(
            SnapshotFiles.All.Select(name => Path.GetFullPath(Path.Combine(outFolder, name))).ToList(),
            sftItems.Count(i => i.Split == DatasetSplit.Train), sftItems.Count(i => i.Split == DatasetSplit.Eval),
            pairItems.Count(i => i.Split == DatasetSplit.Train), pairItems.Count(i => i.Split == DatasetSplit.Eval));
    }

    private static void WritePreference(Utf8JsonWriter json, SnapshotPairItem item)
    {
        JsonlWriter.WriteMessages(json, "prompt", item.Prompt);
        JsonlWriter.WriteMessages(json, "chosen", [new ChatMessage(ChatRoles.Assistant, item.Chosen)]);
        JsonlWriter.WriteMessages(json, "rejected", [new ChatMessage(ChatRoles.Assistant, item.Rejected)]);
    }

    private static async Task WriteJsonlAsync<T>(
        AtomicFile file, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields, CancellationToken ct)
    {
        await using var jsonl = new JsonlWriter(file.Stream);
        foreach (var item in items)
        {
            await jsonl.WriteLineAsync(json =>
            {
                json.WriteStartObject();
                writeFields(json, item);
                json.WriteEndObject();
            }, ct);
        }
    }

    /// <summary>[system,] user, assistant: what the CSV columns hold.</summary>
    private static (string? System, string Prompt, string Response)? SingleTurn(List<ChatMessage> messages) => messages switch
    {
        [{ Role: ChatRoles.User } user, { Role: ChatRoles.Assistant } answer] => (null, user.Content, answer.Content),
        [{ Role: ChatRoles.System } system, { Role: ChatRoles.User } user, { Role: ChatRoles.Assistant } answer] =>
            (system.Content, user.Content, answer.Content),
        _ => null,
    };

    private static string? CategoryName(Dictionary<long, string> names, long? id) => id is { } known ? names[known] : null;

    internal static string Tags(IEnumerable<string> tags) => string.Join(CsvRecordReader.TagSeparator, tags);

    /// <summary>UTF-8 without BOM, like every file we write: a BOM ends up in the first column name of many CSV readers.</summary>
    internal static CsvWriter CreateCsvWriter(Stream stream) =>
        CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);

    internal static void WriteRecord(CsvWriter csv, params string?[] fields)
    {
        foreach (var field in fields) csv.WriteField(field);
        csv.EndRecord();
    }
}

/// <summary>The names of the files of an exported snapshot.</summary>
public static class SnapshotFiles
{
    public const string DatasetCard = "dataset_card.md";

    public static string Sft(DatasetSplit split) => $"sft_{Name(split)}.jsonl";

    public static string Preference(DatasetSplit split) => $"preference_{Name(split)}.jsonl";

    public static IReadOnlyList<string> All { get; } =
        [Sft(DatasetSplit.Train), Sft(DatasetSplit.Eval), Preference(DatasetSplit.Train), Preference(DatasetSplit.Eval), DatasetCard];

    private static string Name(DatasetSplit split) => split == DatasetSplit.Train ? "train" : "eval";
}
