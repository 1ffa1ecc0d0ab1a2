using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>The columns of <see cref="PairTable"/>, each sortable.</summary>
public enum PairColumn
{
    Index,
    DeltaChosen,
    DeltaRejected,
    Margin,
    Weight,
    LengthDifference,
    EditDistance,
    Flags,
}

public partial class PairTable
{
    private static readonly PairColumn[] Columns = Enum.GetValues<PairColumn>();

    /// <summary>The pairs to list. Default: none.</summary>
    [Parameter] public IReadOnlyList<PairDiagnostic> Pairs { get; set; } = [];

    /// <summary>Opens a pair the run logged a key for; without it the rows have no open button.</summary>
    [Parameter] public EventCallback<PairDiagnostic> OnOpen { get; set; }

    /// <summary>The column sorted by first. Default: the pair's index.</summary>
    [Parameter] public PairColumn InitialSort { get; set; } = PairColumn.Index;

    private PairColumn? _sort;
    private bool _descending;

    private PairColumn Sort => _sort ?? InitialSort;

    private IEnumerable<PairDiagnostic> Sorted
    {
        get
        {
            // Missing values (no token data) sort last either way; ties keep the pair order.
            var withValues = Pairs.Where(p => Key(p, Sort) is not null);
            var ordered = _descending ? withValues.OrderByDescending(p => Key(p, Sort)) : withValues.OrderBy(p => Key(p, Sort));
            return ordered.ThenBy(p => p.Index).Concat(Pairs.Where(p => Key(p, Sort) is null));
        }
    }

    private static double? Key(PairDiagnostic pair, PairColumn column) => column switch
    {
        PairColumn.Index => pair.Index,
        PairColumn.DeltaChosen => pair.DeltaChosen,
        PairColumn.DeltaRejected => pair.DeltaRejected,
        PairColumn.Margin => pair.Margin,
        PairColumn.Weight => pair.Weight,
        PairColumn.LengthDifference => pair.LengthDifference,
        PairColumn.EditDistance => pair.EditDistance,
        PairColumn.Flags => DynamicsLabels.Flags(pair.Flags).Count(),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Unknown column."),
    };

    private void SortBy(PairColumn column)
    {
        // A second click on the same column reverses it; a new column starts with the largest values first,
        // since large changes and many flags are what a user looks for.
        _descending = column == Sort ? !_descending : column != PairColumn.Index;
        _sort = column;
    }

    private string Header(PairColumn column) => column switch
    {
        PairColumn.Index => T["Pair"],
        PairColumn.DeltaChosen => T["Δlog p_w"],
        PairColumn.DeltaRejected => T["Δlog p_l"],
        PairColumn.Margin => T["Margin h"],
        PairColumn.Weight => T["Weight σ(−βh)"],
        PairColumn.LengthDifference => T["Length difference"],
        PairColumn.EditDistance => T["Edit distance"],
        PairColumn.Flags => T["Flags"],
        _ => column.ToString(),
    };

    private string SortMark(PairColumn column) => column != Sort ? "" : _descending ? " ▼" : " ▲";

    private string AriaSort(PairColumn column) => column != Sort ? "none" : _descending ? "descending" : "ascending";

    private static string Number(double value) => value.ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture);

    private static Color FlagColour(PairFlags flag) => flag switch
    {
        PairFlags.Displacement => Color.Error,
        PairFlags.Suppression => Color.Secondary,
        _ => Color.Warning,
    };
}
