using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Import;

/// <summary>
/// Imports SFT examples and preference pairs from Hugging Face TRL JSONL, CSV and our full-fidelity JSONL into a
/// workspace (created when missing). All or nothing: every row of every file is read and validated before anything
/// is written, and the writing happens in one transaction.
/// </summary>
public sealed class ImportService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider? clock = null)
{
    /// <summary>Rows per SaveChanges: large enough for batched inserts, small enough to keep the change tracker cheap.</summary>
    private const int BatchSize = 1000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <exception cref="ImportValidationException">Any row is bad; nothing was written.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist; nothing was written.</exception>
    public async Task<ImportResult> ImportAsync(
        string workspaceName, IReadOnlyList<string> files, ImportOptions options, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceName);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (files.Count == 0) throw new ArgumentException("No files to import.", nameof(files));
        foreach (var path in files.Where(p => !File.Exists(p)))
            throw new FileNotFoundException($"Import file not found: {path}", path);

        var now = _clock.GetUtcNow().UtcDateTime;
        var read = new List<ImportFile>(files.Count);
        foreach (var path in files) read.Add(await ReadAsync(path, options.Kind, ct));

        await using var db = dbFactory.CreateDbContext();
        var workspace = await WorkspaceState.LoadAsync(db, workspaceName, ct);
        var plan = ImportPlan.Build(read, workspace, new RecordValidator(now, options.AsDraft), options.AllowDuplicates);
        if (plan.Errors.Count > 0) throw new ImportValidationException(plan.Errors);

        return await WriteAsync(db, workspaceName, workspace, plan, options, now, ct);
    }

    private static async Task<ImportFile> ReadAsync(string path, ImportKind? kind, CancellationToken ct)
    {
        var file = new ImportFile(Path.GetFileName(path));
        switch (FormatDetector.Detect(path))
        {
            case ImportFormat.FullJsonl:
                await FullJsonlReader.ReadAsync(path, file, ct);
                break;
            case ImportFormat.TrlJsonl:
                await TrlJsonlReader.ReadAsync(path, file, kind, ct);
                break;
            case ImportFormat.Csv:
                await CsvRecordReader.ReadAsync(path, file, kind, ct);
                break;
        }
        return file;
    }

    private async Task<ImportResult> WriteAsync(
        AnnotateDbContext db, string workspaceName, WorkspaceState state, ImportPlan plan, ImportOptions options,
        DateTime now, CancellationToken ct)
    {
        // Entities are only ever added, each once, so change detection has nothing to find: turning it off keeps
        // SaveChanges linear in the batch instead of in everything tracked.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var workspaceId = state.Workspace?.Id ?? await CreateWorkspaceAsync(db, workspaceName, plan.Header, options.Language, now, ct);
        var categoryIds = new Dictionary<string, long>(state.CategoryIds, StringComparer.Ordinal);
        foreach (var category in plan.NewCategories) category.WorkspaceId = workspaceId;
        db.Categories.AddRange(plan.NewCategories);
        await db.SaveChangesAsync(ct);
        foreach (var category in plan.NewCategories) categoryIds[category.Name] = category.Id;
        db.ChangeTracker.Clear();

        var processed = plan.Skipped.Count;
        options.Progress?.Report(processed);
        foreach (var batch in plan.Rows.Chunk(BatchSize))
        {
            foreach (var row in batch) AddRow(db, row, workspaceId, categoryIds);
            await db.SaveChangesAsync(ct);

            // A superseding judgment names the row it replaces by id, known only once that row is saved.
            var supersessions = batch.SelectMany(r => r.Supersessions).ToList();
            foreach (var (later, earlier) in supersessions) later.SupersedesId = earlier.Id;
            if (supersessions.Count > 0)
            {
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
            }
            db.ChangeTracker.Clear();
            processed += batch.Length;
            options.Progress?.Report(processed);
        }
        await transaction.CommitAsync(ct);

        return new ImportResult(
            workspaceId,
            WorkspaceCreated: state.Workspace is null,
            CategoriesAdded: plan.NewCategories.Count,
            SftExamplesAdded: plan.Rows.Count(r => r.Sft is not null),
            PairsAdded: plan.Rows.Count(r => r.Pair is not null),
            JudgmentsAdded: plan.Rows.Sum(r => r.Pair?.Judgments.Count ?? 0),
            plan.Skipped);
    }

    private static async Task<long> CreateWorkspaceAsync(
        AnnotateDbContext db, string name, WorkspaceHeader? header, string? language, DateTime now, CancellationToken ct)
    {
        var workspace = new Workspace
        {
            Name = name,
            Language = language ?? header?.Language ?? "en",
            Guidelines = header?.Guidelines ?? "",
            OverlapTarget = header?.OverlapTarget ?? Workspace.DefaultOverlapTarget,
            CreatedAt = now,
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        return workspace.Id;
    }

    private static void AddRow(AnnotateDbContext db, ValidatedRow row, long workspaceId, Dictionary<string, long> categoryIds)
    {
        long? categoryId = row.CategoryName is { } name ? categoryIds[name] : null;
        if (row.Sft is { } example)
        {
            example.WorkspaceId = workspaceId;
            example.CategoryId = categoryId;
            db.SftExamples.Add(example);
        }
        else
        {
            var pair = row.Pair!;
            pair.WorkspaceId = workspaceId;
            pair.CategoryId = categoryId;
            db.PreferencePairs.Add(pair);
        }
    }
}
