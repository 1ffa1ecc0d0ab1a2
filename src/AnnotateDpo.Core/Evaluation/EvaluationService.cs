using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>A model to evaluate: the label results show, and its Hugging Face folder.</summary>
public sealed record ModelEntry(string Label, string Path);

/// <summary>What a new evaluation compares, on which prompts, sampled how.</summary>
/// <param name="SnapshotId">Whose eval split supplies prompts; null: the workspace's latest snapshot, if any.</param>
/// <param name="IncludeHeldOut">Add the workspace's held-out evaluation prompts.</param>
public sealed record EvaluationRequest(string Workspace, string Name, IReadOnlyList<ModelEntry> Models, long? SnapshotId = null,
    bool IncludeHeldOut = true, int MaxNewTokens = 128, double Temperature = 0.7, double TopP = 0.9, int Seed = 1);

/// <summary>An evaluation as the list shows it.</summary>
public sealed record EvaluationSummary(long Id, string Name, int Models, int Prompts, bool Generated, int Judgments, DateTime CreatedAt);

/// <summary>
/// Two models' answers to one prompt as one annotator is shown them, left and right. Which model is which stays on the
/// server: the page renders only the prompt and the two texts.
/// </summary>
public sealed record BlindComparison(long ItemId, long LeftModelId, long RightModelId, IReadOnlyList<ChatMessage> Prompt,
    string LeftText, string RightText, int JudgedByMe, int Total);

/// <summary>One answer generated for an evaluation.</summary>
public sealed record GeneratedAnswer(long ItemId, long ModelId, string Text, int TokenCount);

/// <summary>What adding comparisons to the preference pool did.</summary>
public sealed record PoolAddition(int Added, int AlreadyAdded, int DuplicatePairs);

/// <summary>
/// Evaluations with the veterans: held-out prompts, evaluations of two or more models, their generated answers, blind
/// comparisons judged by annotators, the results, and the way back into the preference pool.
/// </summary>
public sealed class EvaluationService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    public const string PoolTag = "evaluation";

    public async Task<IReadOnlyList<HeldOutPrompt>> HeldOutPromptsAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return await db.HeldOutPrompts.AsNoTracking().Where(p => p.WorkspaceId == ws.Id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Adds each non-blank line of <paramref name="lines"/> as a held-out prompt; a prompt the workspace already holds is skipped.</summary>
    /// <returns>How many were added.</returns>
    public async Task<int> AddHeldOutPromptsAsync(string workspace, IEnumerable<string> lines, string? category, string user,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var existing = await db.HeldOutPrompts.Where(p => p.WorkspaceId == ws.Id).Select(p => p.Prompt).ToListAsync(cancellationToken);
        var seen = existing.Select(p => ContentHash.ForSft(p)).ToHashSet();
        var now = time.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var line in lines.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            List<ChatMessage> prompt = [new(ChatRoles.User, line.Trim())];
            if (!seen.Add(ContentHash.ForSft(prompt)))
                continue;
            db.HeldOutPrompts.Add(new HeldOutPrompt
            {
                WorkspaceId = ws.Id,
                Key = $"held-out-{Guid.NewGuid():N}",
                Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim(),
                Prompt = prompt,
                CreatedBy = user,
                CreatedAt = now,
            });
            added++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    public async Task RemoveHeldOutPromptAsync(string workspace, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        await db.HeldOutPrompts.Where(p => p.WorkspaceId == ws.Id && p.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Creates an evaluation: the models, and copies of the prompts — the snapshot's eval split (pair prompts and SFT
    /// prompts, each once) and, when asked, the held-out prompts.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two models, a label or folder given twice, a folder that is no model, or no prompt at all.</exception>
    public async Task<ModelEvaluation> CreateAsync(EvaluationRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        if (string.IsNullOrWhiteSpace(request.Name))
            throw new ArgumentException("Name: an evaluation needs a name.");
        if (request.Models.Count < 2)
            throw new ArgumentException($"Models: an evaluation compares two or more models, not {request.Models.Count}.");
        foreach (var (model, i) in request.Models.Select((m, i) => (m, i)))
        {
            if (string.IsNullOrWhiteSpace(model.Label))
                throw new ArgumentException($"Models[{i}]: the label is empty.");
            if (!File.Exists(Path.Combine(model.Path, "config.json")))
                throw new ArgumentException($"Models[{i}] '{model.Label}': '{model.Path}' is not a model folder (no config.json).");
        }
        if (request.Models.GroupBy(m => m.Label.Trim()).FirstOrDefault(g => g.Count() > 1) is { } twiceLabel)
            throw new ArgumentException($"Models: the label '{twiceLabel.Key}' is given twice.");
        if (request.Models.GroupBy(m => Path.GetFullPath(m.Path)).FirstOrDefault(g => g.Count() > 1) is { } twicePath)
            throw new ArgumentException($"Models: the folder '{twicePath.Key}' is given twice.");
        if (request.MaxNewTokens < 1 || request.Temperature < 0 || request.TopP is <= 0 or > 1)
            throw new ArgumentException("Sampling: max new tokens must be at least 1, temperature 0 or more, top-p in (0, 1].");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, request.Workspace, cancellationToken);
        var snapshotId = request.SnapshotId
            ?? await db.Snapshots.Where(s => s.WorkspaceId == ws.Id).OrderByDescending(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);
        var prompts = new List<(List<ChatMessage> Prompt, string? Category, string Source)>();
        if (snapshotId is long sid)
        {
            if (!await db.Snapshots.AnyAsync(s => s.Id == sid && s.WorkspaceId == ws.Id, cancellationToken))
                throw new ArgumentException($"Snapshot: workspace '{ws.Name}' has no snapshot {sid}.");
            var pairs = await db.SnapshotPairItems.AsNoTracking().Where(i => i.SnapshotId == sid && i.Split == DatasetSplit.Eval)
                .OrderBy(i => i.Ordinal).ToListAsync(cancellationToken);
            prompts.AddRange(pairs.Select(p => (p.Prompt, p.Category, $"snapshot {sid}:{p.SourceKey}")));
            var sft = await db.SnapshotSftItems.AsNoTracking().Where(i => i.SnapshotId == sid && i.Split == DatasetSplit.Eval)
                .OrderBy(i => i.Ordinal).ToListAsync(cancellationToken);
            prompts.AddRange(sft.Select(s => (s.Messages[..Math.Max(0, s.Messages.FindLastIndex(m => m.Role == ChatRoles.Assistant))], s.Category, $"snapshot {sid}:{s.SourceKey}"))
                .Where(p => p.Item1.Count > 0));
        }
        if (request.IncludeHeldOut)
        {
            var heldOut = await db.HeldOutPrompts.AsNoTracking().Where(p => p.WorkspaceId == ws.Id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
            prompts.AddRange(heldOut.Select(p => (p.Prompt, p.Category, $"held-out:{p.Key}")));
        }
        var distinct = prompts.DistinctBy(p => ContentHash.ForSft(p.Prompt)).ToList();
        if (distinct.Count == 0)
            throw new ArgumentException($"Prompts: workspace '{ws.Name}' has no snapshot eval prompts and no held-out prompts to evaluate on; add held-out prompts first.");

        var evaluation = new ModelEvaluation
        {
            WorkspaceId = ws.Id,
            Name = request.Name.Trim(),
            SnapshotId = snapshotId,
            CreatedBy = user,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            MaxNewTokens = request.MaxNewTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Seed = request.Seed,
            Models = request.Models.Select((m, i) => new EvaluatedModel { Ordinal = i, Label = m.Label.Trim(), Path = Path.GetFullPath(m.Path) }).ToList(),
            Items = distinct.Select((p, i) => new EvaluationItem { Ordinal = i, Prompt = p.Prompt, Category = p.Category, Source = p.Source }).ToList(),
        };
        db.Evaluations.Add(evaluation);
        await db.SaveChangesAsync(cancellationToken);
        return evaluation;
    }

    public async Task<IReadOnlyList<EvaluationSummary>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return await db.Evaluations.Where(e => e.WorkspaceId == ws.Id).OrderByDescending(e => e.Id)
            .Select(e => new EvaluationSummary(e.Id, e.Name, e.Models.Count, e.Items.Count, e.GeneratedAt != null,
                db.EvaluationJudgments.Count(j => j.EvaluationId == e.Id), e.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The evaluation with its models and prompts (not the answers), checked to belong to <paramref name="workspace"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such evaluation in the workspace.</exception>
    public async Task<ModelEvaluation> GetAsync(string workspace, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return await LoadAsync(db, id, cancellationToken) is { } e && e.WorkspaceId == ws.Id
            ? e
            : throw new KeyNotFoundException($"Workspace '{ws.Name}' has no evaluation {id}.");
    }

    /// <summary>The evaluation with its models and prompts, whichever workspace it is in.</summary>
    /// <exception cref="KeyNotFoundException">No such evaluation.</exception>
    public async Task<ModelEvaluation> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, id, cancellationToken) ?? throw new KeyNotFoundException($"--evaluation: there is no evaluation {id}.");
    }

    /// <summary>
    /// Stores one answer per model and prompt, all in one transaction, replacing earlier answers. Refused once anyone
    /// has judged: the verdicts would no longer be about the answers shown.
    /// </summary>
    public async Task SaveAnswersAsync(long evaluationId, IReadOnlyList<GeneratedAnswer> answers, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var evaluation = await db.Evaluations.Include(e => e.Models).Include(e => e.Items)
            .SingleOrDefaultAsync(e => e.Id == evaluationId, cancellationToken)
            ?? throw new KeyNotFoundException($"--evaluation: there is no evaluation {evaluationId}.");
        if (await db.EvaluationJudgments.AnyAsync(j => j.EvaluationId == evaluationId, cancellationToken))
            throw new InvalidOperationException($"Evaluation {evaluationId} has judged comparisons; its answers can no longer be replaced. Create a new evaluation.");
        var expected = evaluation.Items.SelectMany(i => evaluation.Models.Select(m => (i.Id, m.Id))).ToHashSet();
        var given = answers.Select(a => (a.ItemId, a.ModelId)).ToHashSet();
        if (!expected.SetEquals(given) || given.Count != answers.Count)
            throw new ArgumentException($"Evaluation {evaluationId} needs exactly one answer per model and prompt ({expected.Count}), not {answers.Count}.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var itemIds = evaluation.Items.Select(i => i.Id).ToList();
        await db.EvaluationAnswers.Where(a => itemIds.Contains(a.ItemId)).ExecuteDeleteAsync(cancellationToken);
        db.EvaluationAnswers.AddRange(answers.Select(a => new EvaluationAnswer { ItemId = a.ItemId, ModelId = a.ModelId, Text = a.Text, TokenCount = a.TokenCount }));
        evaluation.GeneratedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The next comparison for <paramref name="annotator"/>: a prompt and two models whose answers they have not judged
    /// yet, in an order of its own for every annotator, the models placed left and right at random (by a hash of
    /// annotator, prompt and models, so a reload shows the same). Null when they have judged every one; comparisons in
    /// <paramref name="skipped"/> are passed over.
    /// </summary>
    public async Task<BlindComparison?> NextComparisonAsync(long evaluationId, string annotator,
        IReadOnlyCollection<(long ItemId, long LeftModelId, long RightModelId)>? skipped = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var models = await db.EvaluatedModels.Where(m => m.EvaluationId == evaluationId).OrderBy(m => m.Ordinal).Select(m => m.Id).ToListAsync(cancellationToken);
        var items = await db.EvaluationItems.Where(i => i.EvaluationId == evaluationId && i.Answers.Count == models.Count)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        var judged = (await db.EvaluationJudgments.Where(j => j.EvaluationId == evaluationId && j.AnnotatorId == annotator)
            .Select(j => new { j.ItemId, j.LeftModelId, j.RightModelId }).ToListAsync(cancellationToken))
            .Select(j => (j.ItemId, Math.Min(j.LeftModelId, j.RightModelId), Math.Max(j.LeftModelId, j.RightModelId))).ToHashSet();
        var passed = (skipped ?? []).Select(j => (j.ItemId, Math.Min(j.LeftModelId, j.RightModelId), Math.Max(j.LeftModelId, j.RightModelId))).ToHashSet();
        var all = items.SelectMany(item => models.SelectMany((a, i) => models.Skip(i + 1).Select(b => (item, a, b)))).ToList();
        var next = all.Where(c => !judged.Contains((c.item, Math.Min(c.a, c.b), Math.Max(c.a, c.b))) && !passed.Contains((c.item, Math.Min(c.a, c.b), Math.Max(c.a, c.b))))
            .Select(c => (c, hash: Hash($"{annotator}\n{evaluationId}\n{c.item}\n{c.a}\n{c.b}")))
            .OrderBy(x => x.hash[0] | (x.hash[1] << 8) | (x.hash[2] << 16))
            .Select(x => ((long Item, long A, long B, byte[] Hash)?)(x.c.item, x.c.a, x.c.b, x.hash))
            .FirstOrDefault();
        if (next is not { } chosen)
            return null;
        var (left, right) = (chosen.Hash[3] & 1) == 0 ? (chosen.A, chosen.B) : (chosen.B, chosen.A);
        var item = await db.EvaluationItems.AsNoTracking().Include(i => i.Answers).SingleAsync(i => i.Id == chosen.Item, cancellationToken);
        return new BlindComparison(item.Id, left, right, item.Prompt,
            item.Answers.Single(a => a.ModelId == left).Text, item.Answers.Single(a => a.ModelId == right).Text,
            judged.Count, all.Count);
    }

    /// <summary>Records a blind verdict; each annotator judges a prompt and two models once.</summary>
    public async Task<EvaluationJudgment> SubmitComparisonAsync(long evaluationId, string annotator, long itemId, long leftModelId, long rightModelId,
        ComparisonVerdict verdict, double secondsSpent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(annotator);
        if (secondsSpent < 0)
            throw new ArgumentOutOfRangeException(nameof(secondsSpent), secondsSpent, "SecondsSpent: must not be negative.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.EvaluationItems.Include(i => i.Answers).SingleOrDefaultAsync(i => i.Id == itemId && i.EvaluationId == evaluationId, cancellationToken)
            ?? throw new ArgumentException($"ItemId: evaluation {evaluationId} has no prompt {itemId}.");
        if (leftModelId == rightModelId || !item.Answers.Any(a => a.ModelId == leftModelId) || !item.Answers.Any(a => a.ModelId == rightModelId))
            throw new ArgumentException($"Models: {leftModelId} and {rightModelId} are not two models with answers to prompt {itemId}.");
        var (low, high) = (Math.Min(leftModelId, rightModelId), Math.Max(leftModelId, rightModelId));
        if (await db.EvaluationJudgments.AnyAsync(j => j.EvaluationId == evaluationId && j.ItemId == itemId && j.AnnotatorId == annotator
                && ((j.LeftModelId == low && j.RightModelId == high) || (j.LeftModelId == high && j.RightModelId == low)), cancellationToken))
            throw new InvalidOperationException($"{annotator} has already judged these two answers to prompt {itemId}.");
        var judgment = new EvaluationJudgment
        {
            EvaluationId = evaluationId,
            ItemId = itemId,
            LeftModelId = leftModelId,
            RightModelId = rightModelId,
            AnnotatorId = annotator,
            Verdict = verdict,
            SecondsSpent = secondsSpent,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.EvaluationJudgments.Add(judgment);
        await db.SaveChangesAsync(cancellationToken);
        return judgment;
    }

    /// <summary>Win / tie / loss per model pair (overall and per category), the ranking and the automatic metrics.</summary>
    public async Task<EvaluationReport> ReportAsync(long evaluationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var models = await db.EvaluatedModels.AsNoTracking().Where(m => m.EvaluationId == evaluationId).OrderBy(m => m.Ordinal).ToListAsync(cancellationToken);
        var labels = models.ToDictionary(m => m.Id, m => m.Label);
        var categories = await db.EvaluationItems.Where(i => i.EvaluationId == evaluationId).ToDictionaryAsync(i => i.Id, i => i.Category, cancellationToken);
        var judgments = await db.EvaluationJudgments.AsNoTracking().Where(j => j.EvaluationId == evaluationId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var answers = await db.EvaluationAnswers.AsNoTracking().Where(a => categories.Keys.Contains(a.ItemId)).ToListAsync(cancellationToken);
        var metrics = models.Select(m => EvaluationReport.MetricsOf(m.Label,
                answers.Where(a => a.ModelId == m.Id).Select(a => (a.Text, a.TokenCount)).ToList(),
                Directory.Exists(m.Path) ? ModelCatalog.EvalFigures(m.Path) : new RunEvalFigures(null, null)))
            .ToList();
        return EvaluationReport.Compute(models.Select(m => m.Label).ToList(),
            judgments.Select(j => new JudgedComparison(labels[j.LeftModelId], labels[j.RightModelId], j.Verdict, categories[j.ItemId])).ToList(),
            metrics);
    }

    /// <summary>
    /// Adds judged comparisons (all of the evaluation's when <paramref name="judgmentIds"/> is null) to the workspace's
    /// preference pool: a new pair of the two answers as shown, both marked as the models' (model, run, sampling
    /// settings), tagged <see cref="PoolTag"/>, with the annotator's blind verdict as its first judgment. A comparison
    /// is added once; one whose pair the workspace already holds is skipped.
    /// </summary>
    public async Task<PoolAddition> AddToPoolAsync(long evaluationId, IReadOnlyCollection<long>? judgmentIds, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var evaluation = await LoadAsync(db, evaluationId, cancellationToken) ?? throw new KeyNotFoundException($"There is no evaluation {evaluationId}.");
        var models = evaluation.Models.ToDictionary(m => m.Id);
        var items = evaluation.Items.ToDictionary(i => i.Id);
        var query = db.EvaluationJudgments.Where(j => j.EvaluationId == evaluationId);
        if (judgmentIds is not null)
            query = query.Where(j => judgmentIds.Contains(j.Id));
        var judgments = await query.OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var answers = (await db.EvaluationAnswers.AsNoTracking().Where(a => items.Keys.Contains(a.ItemId)).ToListAsync(cancellationToken))
            .ToDictionary(a => (a.ItemId, a.ModelId), a => a.Text);
        var known = (await db.PreferencePairs.Where(p => p.WorkspaceId == evaluation.WorkspaceId).Select(p => p.ContentHash).ToListAsync(cancellationToken)).ToHashSet();
        var categories = await db.Categories.Where(c => c.WorkspaceId == evaluation.WorkspaceId).ToDictionaryAsync(c => c.Name, c => c.Id, cancellationToken);
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"evaluation={evaluationId} temperature={evaluation.Temperature} top_p={evaluation.TopP} max_new_tokens={evaluation.MaxNewTokens} seed={evaluation.Seed}");
        var now = time.GetUtcNow().UtcDateTime;
        int added = 0, already = 0, duplicates = 0;
        var pending = new List<(EvaluationJudgment Judgment, PreferencePair Pair)>();
        foreach (var judgment in judgments)
        {
            if (judgment.PoolPairId is not null)
            {
                already++;
                continue;
            }
            var item = items[judgment.ItemId];
            var (left, right) = (answers[(item.Id, judgment.LeftModelId)], answers[(item.Id, judgment.RightModelId)]);
            var hash = ContentHash.ForPair(item.Prompt, left, right);
            if (!known.Add(hash))
            {
                duplicates++;
                continue;
            }
            var key = $"eval-{evaluationId}-{judgment.Id}";
            var pair = new PreferencePair
            {
                WorkspaceId = evaluation.WorkspaceId,
                Key = key,
                CategoryId = item.Category is { } name && categories.TryGetValue(name, out var id) ? id : null,
                Prompt = item.Prompt,
                ResponseA = Response(left, models[judgment.LeftModelId], settings),
                ResponseB = Response(right, models[judgment.RightModelId], settings),
                Tags = [PoolTag],
                AuthorId = user,
                CreatedAt = now,
                SourceFile = $"evaluation {evaluationId}: {evaluation.Name}",
                ContentHash = hash,
                Judgments =
                [
                    new Judgment
                    {
                        Key = $"{key}-j",
                        AnnotatorId = judgment.AnnotatorId,
                        Verdict = judgment.Verdict switch { ComparisonVerdict.Left => Verdict.A, ComparisonVerdict.Right => Verdict.B, _ => Verdict.Tie },
                        ShownOrder = ShownOrder.AB,
                        SecondsSpent = judgment.SecondsSpent,
                        CreatedAt = judgment.CreatedAt,
                    },
                ],
            };
            pending.Add((judgment, pair));
            added++;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PreferencePairs.AddRange(pending.Select(p => p.Pair));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (judgment, pair) in pending)
            judgment.PoolPairId = pair.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PoolAddition(added, already, duplicates);
    }

    private static PairResponse Response(string text, EvaluatedModel model, string settings) => new()
    {
        Text = text,
        Origin = ResponseOrigin.Model,
        Model = model.Path.Length <= 200 ? model.Path : model.Path[^200..],
        Run = ModelCatalog.RunOf(model.Path)?.Run,
        Settings = settings,
    };

    private static async Task<ModelEvaluation?> LoadAsync(AnnotateDbContext db, long id, CancellationToken cancellationToken) =>
        await db.Evaluations.AsNoTracking().AsSplitQuery()
            .Include(e => e.Models.OrderBy(m => m.Ordinal))
            .Include(e => e.Items.OrderBy(i => i.Ordinal))
            .SingleOrDefaultAsync(e => e.Id == id, cancellationToken);

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
