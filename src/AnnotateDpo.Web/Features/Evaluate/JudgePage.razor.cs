using AnnotateDpo.Core.Evaluation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace AnnotateDpo.Web.Features.Evaluate;

/// <summary>
/// Blind judging of an evaluation's answers, keyboard first like the judge-pairs page (its shortcut script:
/// 1 left, 2 right, 3 tie, Enter submit, S skip). The models behind the two texts and their order stay in this
/// server-side component; the order is drawn per annotator and recorded with the verdict.
/// </summary>
public sealed partial class JudgePage
{
    [Inject] private EvaluationService Evaluations { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    /// <summary>The evaluation's id, from the address.</summary>
    [Parameter] public long Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private readonly List<BlindComparison> _skipped = [];
    private BlindComparison? _comparison;
    private ComparisonVerdict? _verdict;
    private string? _annotator;
    private string? _error;
    private bool _loaded;
    private bool _busy;
    private long _shownAt;
    private IJSObjectReference? _module;
    private IJSObjectReference? _shortcuts;
    private DotNetObjectReference<JudgePage>? _self;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            await Evaluations.GetAsync(Workspace, Id);
        }
        catch (Exception e) when (e is KeyNotFoundException or AnnotateDpo.Core.Curation.WorkspaceNotFoundException)
        {
            _error = e.Message;
            StateHasChanged();
            return;
        }
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/annotate.js");
        _self = DotNetObjectReference.Create(this);
        _shortcuts = await _module.InvokeAsync<IJSObjectReference>("registerPage", _self);
        _annotator = (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("Judging needs a signed-in user.");
        await LoadNextAsync();
        _loaded = true;
        StateHasChanged();
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        if (_comparison is null) return;
        switch (key)
        {
            case "1": _verdict = ComparisonVerdict.Left; break;
            case "2": _verdict = ComparisonVerdict.Right; break;
            case "3": _verdict = ComparisonVerdict.Tie; break;
            case "enter": await SubmitAsync(); break;
            case "s": await SkipAsync(); break;
        }
        StateHasChanged();
    }

    private (ComparisonVerdict, string)[] Verdicts() =>
        [(ComparisonVerdict.Left, T["Left better"]), (ComparisonVerdict.Right, T["Right better"]), (ComparisonVerdict.Tie, T["Tie"])];

    private async Task SubmitAsync()
    {
        if (_busy || _comparison is not { } shown || _verdict is not { } verdict) return;
        _busy = true;
        try
        {
            await Evaluations.SubmitComparisonAsync(Id, _annotator!, shown.ItemId, shown.LeftModelId, shown.RightModelId, verdict,
                Time.GetElapsedTime(_shownAt).TotalSeconds);
            _skipped.RemoveAll(s => s.ItemId == shown.ItemId && s.LeftModelId == shown.LeftModelId && s.RightModelId == shown.RightModelId);
            await LoadNextAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SkipAsync()
    {
        if (_busy || _comparison is null) return;
        _skipped.Add(_comparison);
        await LoadNextAsync();
    }

    /// <summary>The next comparison the annotator has not judged; skipped ones wait until nothing else is left.</summary>
    private async Task LoadNextAsync()
    {
        var next = await Evaluations.NextComparisonAsync(Id, _annotator!, _skipped.Select(s => (s.ItemId, s.LeftModelId, s.RightModelId)).ToList());
        if (next is null && _skipped.Count > 0)
        {
            _skipped.Clear();
            next = await Evaluations.NextComparisonAsync(Id, _annotator!, []);
        }
        _comparison = next;
        _verdict = null;
        _shownAt = Time.GetTimestamp();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_shortcuts is not null)
            {
                await _shortcuts.InvokeVoidAsync("dispose");
                await _shortcuts.DisposeAsync();
            }
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the browser's listeners with it.
        }
        _self?.Dispose();
    }
}
