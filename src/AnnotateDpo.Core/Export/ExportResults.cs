namespace AnnotateDpo.Core.Export;

public sealed record ExportResult(int SftExamples, int Pairs, int Judgments);

/// <summary>
/// CSV holds only curated single-turn data: approved SFT examples of one user turn (and an optional system message),
/// and resolved pairs with a one-message prompt. The rest is counted as left out; the full format keeps everything.
/// </summary>
public sealed record CsvExportResult(int SftExamples, int Pairs, int SftLeftOut, int PairsLeftOut);

public sealed record SnapshotExportResult(
    IReadOnlyList<string> Files, int SftTrain, int SftEval, int PreferenceTrain, int PreferenceEval);
