using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Import;

/// <summary>
/// Everything an import will write, decided before anything is written: the validated rows with their keys, the
/// duplicates left out, the categories to create — or, when any row is bad, the list of every problem.
/// </summary>
internal sealed class ImportPlan
{
    private readonly List<ImportError> _errors = [];

    public IReadOnlyList<ImportError> Errors => _errors;
    public List<ValidatedRow> Rows { get; } = [];
    public List<SkippedDuplicate> Skipped { get; } = [];
    /// <summary>The first full-fidelity workspace line: its settings apply when the import creates the workspace.</summary>
    public WorkspaceHeader? Header { get; private set; }
    public List<Category> NewCategories { get; } = [];

    public static ImportPlan Build(
        IReadOnlyList<ImportFile> files, WorkspaceState workspace, RecordValidator validator, bool allowDuplicates)
    {
        var plan = new ImportPlan();
        var headerCategories = new Dictionary<string, CategoryHeader>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            plan._errors.AddRange(file.Errors);
            IReadOnlySet<string>? known = null;
            if (file.Header is { } header)
            {
                plan.Header ??= header;
                plan.CheckHeader(file.FileName, header);
                foreach (var category in header.Categories) headerCategories.TryAdd(category.Name, category);
                known = header.Categories.Select(c => c.Name).Concat(workspace.CategoryIds.Keys).ToHashSet(StringComparer.Ordinal);
            }
            foreach (var record in file.Records)
            {
                if (validator.Validate(record, record.FullFidelity ? known ?? new HashSet<string>() : null, plan._errors) is { } row)
                    plan.Rows.Add(row);
            }
        }
        plan.CheckExplicitIds();
        plan.AssignKeys(workspace, allowDuplicates);
        plan.CheckEditedFromReferences(workspace);
        plan.PlanCategories(workspace, headerCategories);

        // Report in file order, then line order, whichever check found the problem.
        var fileOrder = files.Select((f, i) => (f.FileName, i)).GroupBy(f => f.FileName).ToDictionary(g => g.Key, g => g.First().i);
        plan._errors.Sort((x, y) => (fileOrder[x.File], x.Line).CompareTo((fileOrder[y.File], y.Line)));
        return plan;
    }

    private void CheckHeader(string fileName, WorkspaceHeader header)
    {
        void Error(string field, string message) => _errors.Add(new(fileName, header.Line, field, message));

        if (header.OverlapTarget is < 1) Error("overlapTarget", "must be at least 1");
        if (header.Language is { } language && (language.Trim().Length == 0 || language.Length > 16))
            Error("language", "must be a BCP-47 tag such as \"ja\" or \"en\"");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Categories.Count; i++)
        {
            var category = header.Categories[i];
            var field = $"categories[{i}]";
            if (string.IsNullOrWhiteSpace(category.Name) || category.Name != category.Name.Trim() ||
                category.Name.Length > RecordValidator.MaxIdentifierLength)
            {
                Error(field + ".name", $"must be non-empty, without surrounding spaces, at most {RecordValidator.MaxIdentifierLength} characters");
            }
            if (!seen.Add(category.Name)) Error(field + ".name", $"the category '{category.Name}' is defined twice");
            if (category.SftTarget < 0) Error(field + ".sftTarget", "must not be negative");
            if (category.PairTarget < 0) Error(field + ".pairTarget", "must not be negative");
        }
    }

    /// <summary>An id names one row: a second row with the same id, in any file of the import, is an error.</summary>
    private void CheckExplicitIds()
    {
        var first = new Dictionary<(ImportKind, string), ImportRecord>();
        Rows.RemoveAll(row =>
        {
            var record = row.Source;
            if (record.Id is null || first.TryAdd((record.Kind, record.Id), record)) return false;
            var earlier = first[(record.Kind, record.Id)];
            var where = earlier.File == record.File ? $"line {earlier.Line}" : $"{earlier.File}: line {earlier.Line}";
            _errors.Add(new(record.File, record.Line, "id", $"duplicate id '{record.Id}' (first at {where})"));
            return true;
        });
    }

    /// <summary>
    /// Leaves out rows whose content the workspace or an earlier row already has (unless duplicates are allowed) and
    /// gives the rest their keys: the file's id, else the kind and the start of the content hash.
    /// </summary>
    private void AssignKeys(WorkspaceState workspace, bool allowDuplicates)
    {
        var reserved = Rows.Where(r => r.Source.Id is not null).Select(r => (r.Source.Kind, r.Source.Id!)).ToHashSet();
        var kept = new List<ValidatedRow>(Rows.Count);
        foreach (var row in Rows)
        {
            var record = row.Source;
            var index = record.Kind == ImportKind.Sft ? workspace.Sft : workspace.Pairs;
            if (!allowDuplicates && index.KeyByHash.TryGetValue(row.ContentHash, out var original))
            {
                Skipped.Add(new(record.File, record.Line, original));
                continue;
            }
            if (record.Id is { } id && index.Keys.Contains(id))
            {
                _errors.Add(new(record.File, record.Line, "id", $"the workspace already has a row with id '{id}' and different content"));
                continue;
            }
            var key = record.Id ?? NewKey(record.Kind, row.ContentHash, index, reserved);
            if (row.Sft is { } sft) sft.Key = key;
            else row.Pair!.Key = key;
            index.Add(key, row.ContentHash);
            kept.Add(row);
        }
        Rows.Clear();
        Rows.AddRange(kept);
    }

    private static string NewKey(ImportKind kind, string hash, KeyIndex index, HashSet<(ImportKind, string)> reserved)
    {
        var stem = (kind == ImportKind.Sft ? "sft-" : "pair-") + hash[..12];
        var key = stem;
        for (var n = 2; index.Keys.Contains(key) || reserved.Contains((kind, key)); n++) key = $"{stem}-{n}";
        return key;
    }

    private void CheckEditedFromReferences(WorkspaceState workspace)
    {
        foreach (var row in Rows.Where(r => r.Pair is not null))
        {
            foreach (var (response, field) in new[] { (row.Pair!.ResponseA, "responseA"), (row.Pair.ResponseB, "responseB") })
            {
                if (response.EditedFromPairKey is { } source && !workspace.Pairs.Keys.Contains(source))
                {
                    _errors.Add(new(row.Source.File, row.Source.Line, field + ".editedFromPairId",
                        $"names no pair in the files or the workspace: '{source}'"));
                }
            }
        }
    }

    /// <summary>
    /// Categories the workspace lacks: those of full-fidelity workspace lines with their description and targets,
    /// and those that rows name, with the workspace's default SFT target for both kinds until a manager sets them.
    /// </summary>
    private void PlanCategories(WorkspaceState workspace, Dictionary<string, CategoryHeader> headerCategories)
    {
        var names = headerCategories.Keys.Concat(Rows.Select(r => r.CategoryName).OfType<string>())
            .Where(name => !workspace.CategoryIds.ContainsKey(name))
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            NewCategories.Add(headerCategories.TryGetValue(name, out var defined)
                ? new Category { Name = name, Description = defined.Description, SftTarget = defined.SftTarget, PairTarget = defined.PairTarget }
                : new Category { Name = name, SftTarget = Workspace.DefaultSftTarget, PairTarget = Workspace.DefaultSftTarget });
        }
    }
}
