using System.Globalization;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Curation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AnnotateDpo.Web.Features.Browse;

/// <summary>
/// Two tables over one filter bar: the filters both kinds share stay when switching tabs; status belongs to SFT
/// examples and agreement (managers only) to pairs. Every page is one query in Core; export links carry the same filter.
/// </summary>
public partial class BrowsePage
{
    private static readonly int[] PageSizes = [25, 50, 100];

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private BrowseViewer _viewer = new("", IsManager: false);
    private BrowseFacets? _facets;
    private BrowseFilter _filter = new();
    private BrowseKind _kind = BrowseKind.Sft;
    private (BrowseSort Sort, bool Descending) _sftSort = (BrowseSort.Created, true);
    private (BrowseSort Sort, bool Descending) _pairSort = (BrowseSort.Created, true);
    private MudTable<SftRow>? _sftTable;
    private MudTable<PairRow>? _pairTable;
    private SftDetail? _sft;
    private PairDetail? _pair;
    private string? _error;

    private bool HasDetail => _sft is not null || _pair is not null;

    protected override async Task OnParametersSetAsync()
    {
        _viewer = BrowseFeatureExtensions.ViewerOf((await AuthenticationState).User);
        try
        {
            _facets = await Browse.FacetsAsync(Workspace, _viewer);
            _error = null;
        }
        catch (WorkspaceNotFoundException e)
        {
            _facets = null;
            _error = e.Message;
        }
    }

    private async Task<TableData<SftRow>> LoadSftAsync(TableState state, CancellationToken cancellationToken)
    {
        _sftSort = SortOf(state, _sftSort);
        try
        {
            var page = await Browse.ListSftAsync(Workspace, _filter with { Sort = _sftSort.Sort, Descending = _sftSort.Descending }, _viewer,
                state.Page * state.PageSize, state.PageSize, cancellationToken);
            _error = null;
            return new TableData<SftRow> { Items = page.Items, TotalItems = page.Total };
        }
        catch (ArgumentException e)
        {
            _error = e.Message;
            return new TableData<SftRow> { Items = [], TotalItems = 0 };
        }
    }

    private async Task<TableData<PairRow>> LoadPairsAsync(TableState state, CancellationToken cancellationToken)
    {
        _pairSort = SortOf(state, _pairSort);
        try
        {
            var page = await Browse.ListPairsAsync(Workspace, _filter with { Sort = _pairSort.Sort, Descending = _pairSort.Descending }, _viewer,
                state.Page * state.PageSize, state.PageSize, cancellationToken);
            _error = null;
            return new TableData<PairRow> { Items = page.Items, TotalItems = page.Total };
        }
        catch (ArgumentException e)
        {
            _error = e.Message;
            return new TableData<PairRow> { Items = [], TotalItems = 0 };
        }
    }

    private static (BrowseSort, bool) SortOf(TableState state, (BrowseSort, bool) current) =>
        state.SortDirection == SortDirection.None || !Enum.TryParse<BrowseSort>(state.SortLabel, out var sort)
            ? current
            : (sort, state.SortDirection == SortDirection.Descending);

    /// <summary>A changed filter starts again at the first page.</summary>
    private async Task SetFilterAsync(BrowseFilter filter)
    {
        _filter = filter;
        if (_kind == BrowseKind.Sft && _sftTable is not null)
        {
            _sftTable.NavigateTo(0);
            await _sftTable.ReloadServerData();
        }
        else if (_kind == BrowseKind.Pairs && _pairTable is not null)
        {
            _pairTable.NavigateTo(0);
            await _pairTable.ReloadServerData();
        }
    }

    private void SetKind(int panel)
    {
        _kind = panel == 0 ? BrowseKind.Sft : BrowseKind.Pairs;
        _filter = _kind == BrowseKind.Sft ? _filter with { Agreement = null } : _filter with { Status = null };
    }

    private async Task OpenSftAsync(string key)
    {
        _pair = null;
        _sft = await Browse.GetSftAsync(Workspace, key, _viewer);
    }

    private async Task OpenPairAsync(string key)
    {
        _sft = null;
        _pair = await Browse.GetPairAsync(Workspace, key, _viewer);
    }

    private void CloseDetail() => (_sft, _pair) = (null, null);

    private string ExportHref(BrowseExportFormat format)
    {
        var (sort, descending) = _kind == BrowseKind.Sft ? _sftSort : _pairSort;
        return BrowseQueryString.ExportPath(Workspace, _kind, format, _filter with { Sort = sort, Descending = descending });
    }

    /// <summary>Date inputs speak yyyy-MM-dd whatever the language; the browser shows them in the user's format.</summary>
    private static string? DateText(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
