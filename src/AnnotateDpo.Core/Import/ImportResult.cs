namespace AnnotateDpo.Core.Import;

/// <summary>A row left out because its content already exists, and the key of the row it repeats.</summary>
public sealed record SkippedDuplicate(string File, int Line, string DuplicateOfKey);

public sealed record ImportResult(
    long WorkspaceId,
    bool WorkspaceCreated,
    int CategoriesAdded,
    int SftExamplesAdded,
    int PairsAdded,
    int JudgmentsAdded,
    IReadOnlyList<SkippedDuplicate> SkippedDuplicates);
