using System.Globalization;
using System.Text;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Export;

/// <summary>The <c>dataset_card.md</c> of an exported snapshot: what is in it, what was left out, how to load it.</summary>
internal static class DatasetCard
{
    private const string NoCategory = "(none)";

    public static string Render(
        string workspaceName, DatasetSnapshot snapshot, IReadOnlyList<SnapshotSftItem> sft, IReadOnlyList<SnapshotPairItem> pairs)
    {
        var card = new StringBuilder();
        card.AppendLine(CultureInfo.InvariantCulture, $"# {workspaceName} — dataset snapshot {snapshot.Id}");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"- Snapshot id: {snapshot.Id}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Content hash (SHA-256): `{snapshot.ContentHash}`");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Created: {JsonlWriter.Time(snapshot.CreatedAt)} by {snapshot.CreatedBy}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Eval fraction: {snapshot.EvalFraction}, seed: {snapshot.Seed}");
        card.AppendLine();
        AppendCounts(card, "SFT examples (`sft_train.jsonl`, `sft_eval.jsonl`)", sft.Select(i => (i.Category, i.Split)));
        AppendCounts(card, "Preference pairs (`preference_train.jsonl`, `preference_eval.jsonl`)", pairs.Select(i => (i.Category, i.Split)));
        card.AppendLine("## Pairs left out");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"- Ties: {snapshot.ExcludedTies}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Both bad: {snapshot.ExcludedBothBad}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Disagreements: {snapshot.ExcludedDisagreements}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Unjudged: {snapshot.ExcludedUnjudged}");
        card.AppendLine();
        card.AppendLine("## Loading");
        card.AppendLine();
        card.AppendLine("```python");
        card.AppendLine("from datasets import load_dataset");
        card.AppendLine();
        card.AppendLine("sft = load_dataset(\"json\", data_files={\"train\": \"sft_train.jsonl\", \"test\": \"sft_eval.jsonl\"})");
        card.AppendLine("preference = load_dataset(\"json\", data_files={\"train\": \"preference_train.jsonl\", \"test\": \"preference_eval.jsonl\"})");
        card.AppendLine("```");
        card.AppendLine();
        card.AppendLine("The SFT rows are conversational (`messages`); the preference rows are conversational with an explicit prompt");
        card.AppendLine("(`prompt`, `chosen`, `rejected`), as TRL's SFTTrainer and DPOTrainer take them.");
        return card.ToString();
    }

    private static void AppendCounts(StringBuilder card, string title, IEnumerable<(string? Category, DatasetSplit Split)> items)
    {
        var rows = items.GroupBy(i => i.Category ?? NoCategory)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Category: g.Key, Train: g.Count(i => i.Split == DatasetSplit.Train), Eval: g.Count(i => i.Split == DatasetSplit.Eval)))
            .ToList();
        card.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        card.AppendLine();
        card.AppendLine("| Category | Train | Eval | Total |");
        card.AppendLine("|---|---:|---:|---:|");
        foreach (var row in rows)
            card.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(row.Category)} | {row.Train} | {row.Eval} | {row.Train + row.Eval} |");
        var train = rows.Sum(r => r.Train);
        var eval = rows.Sum(r => r.Eval);
        card.AppendLine(CultureInfo.InvariantCulture, $"| **Total** | {train} | {eval} | {train + eval} |");
        card.AppendLine();
    }

    /// <summary>A category name inside a Markdown table cell: a pipe would end the cell, a newline the row.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
