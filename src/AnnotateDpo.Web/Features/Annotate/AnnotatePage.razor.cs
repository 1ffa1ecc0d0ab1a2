using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace AnnotateDpo.Web.Features.Annotate;

/// <summary>
/// Serves the workspace's pairs one at a time to the signed-in annotator.
/// Keys come from wwwroot/js/annotate.js, registered once the page is interactive; the pair is shown only then, so what is on screen always answers to the keyboard and the mouse.
/// </summary>
public sealed partial class AnnotatePage
{
    [Inject] private JudgmentQueue Queue { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private readonly HashSet<long> _skipped = [];
    private JudgingWorkspace? _workspace;
    private string? _notFound;
    private string? _annotator;
    private QueueView? _view;
    private JudgingDraft _draft = new();
    private long _shownAt;
    private bool _busy;
    private IJSObjectReference? _module;
    private IJSObjectReference? _shortcuts;
    private DotNetObjectReference<AnnotatePage>? _self;

    protected override async Task OnParametersSetAsync()
    {
        if (_workspace?.Name != Workspace)
        {
            try
            {
                _workspace = await Queue.DescribeAsync(Workspace);
                _notFound = null;
            }
            catch (WorkspaceNotFoundException e)
            {
                _notFound = e.Message;
            }
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/annotate.js");
        _self = DotNetObjectReference.Create(this);
        _shortcuts = await _module.InvokeAsync<IJSObjectReference>("registerShortcuts", _self);
        // The signed-in user's name is the annotator id their judgments carry.
        _annotator = (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("The judging page needs a signed-in user.");
        await LoadNextAsync();
        StateHasChanged();
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        if (_view?.Pair is null && key != "u") return;
        switch (key)
        {
            case "1": _draft.Choose(ShownVerdict.Left); break;
            case "2": _draft.Choose(ShownVerdict.Right); break;
            case "3": _draft.Choose(ShownVerdict.Tie); break;
            case "4": _draft.Choose(ShownVerdict.BothBad); break;
            case "q": _draft.Choose(VerdictStrength.Slight); break;
            case "w": _draft.Choose(VerdictStrength.Clear); break;
            case "e": _draft.Choose(VerdictStrength.Strong); break;
            case "enter": await SubmitAsync(); break;
            case "s": await SkipAsync(); break;
            case "u": await UndoAsync(); break;
        }
        StateHasChanged();
    }

    private async Task SubmitAsync()
    {
        if (_busy || _view?.Pair is not { } pair || !_draft.CanSubmit) return;
        await RunAsync(async () =>
        {
            await Queue.SubmitAsync(_draft.ToSubmission(pair, _annotator!, Time.GetElapsedTime(_shownAt).TotalSeconds));
            await LoadNextAsync();
        });
    }

    private async Task SkipAsync()
    {
        if (_busy || _view?.Pair is not { } pair) return;
        _skipped.Add(pair.PairId);
        await RunAsync(LoadNextAsync);
    }

    private async Task UndoAsync()
    {
        if (_busy || _annotator is null) return;
        await RunAsync(async () =>
        {
            var view = await Queue.UndoLastAsync(Workspace, _annotator);
            if (view.Pair is null)
                Snackbar.Add("Nothing to undo: you have not judged a pair here yet.", Severity.Info);
            else
                Show(view);
        });
    }

    /// <summary>The next pair; once only skipped pairs are left, they come round again.</summary>
    private async Task LoadNextAsync()
    {
        var view = await Queue.NextAsync(Workspace, _annotator!, _skipped);
        if (view.Pair is null && _skipped.Count > 0)
        {
            _skipped.Clear();
            view = await Queue.NextAsync(Workspace, _annotator!, _skipped);
        }
        Show(view);
    }

    private void Show(QueueView view)
    {
        _view = view;
        _draft = JudgingDraft.For(view.Pair?.Revising);
        _shownAt = Time.GetTimestamp();
    }

    private async Task RunAsync(Func<Task> action)
    {
        _busy = true;
        try
        {
            await action();
        }
        finally
        {
            _busy = false;
        }
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
