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
/// Typing is kept in the browser's localStorage as it happens (keyed by workspace, annotator and pair), put back when
/// the pair is shown again, and forgotten once it is submitted or knowingly discarded.
/// </summary>
public sealed partial class AnnotatePage
{
    private const string ItemTimerId = "item-timer";

    [Inject] private JudgmentQueue Queue { get; set; } = null!;
    [Inject] private PairRewriter Rewriter { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private readonly HashSet<long> _skipped = [];
    private JudgingWorkspace? _workspace;
    private string? _notFound;
    private string? _annotator;
    private QueueView? _view;
    private JudgingDraft _draft = new();
    private string _draftKey = "";
    private long _shownAt;
    private long _rewriteStartedAt;
    private bool _busy;
    private bool _confirming;
    private IJSObjectReference? _module;
    private IJSObjectReference? _page;
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
        if (!firstRender || _notFound is not null) return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/annotate.js");
        _self = DotNetObjectReference.Create(this);
        _page = await _module.InvokeAsync<IJSObjectReference>("registerPage", _self);
        // The signed-in user's name is the annotator id their judgments carry.
        _annotator = (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("The judging page needs a signed-in user.");
        await LoadNextAsync();
        StateHasChanged();
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        if (_confirming || (_view?.Pair is null && key != "u")) return;
        switch (key)
        {
            case "1": _draft.Choose(ShownVerdict.Left); break;
            case "2": _draft.Choose(ShownVerdict.Right); break;
            case "3": _draft.Choose(ShownVerdict.Tie); break;
            case "4": _draft.Choose(ShownVerdict.BothBad); break;
            case "q": _draft.Choose(VerdictStrength.Slight); break;
            case "w": _draft.Choose(VerdictStrength.Clear); break;
            case "e": _draft.Choose(VerdictStrength.Strong); break;
            case "l": StartRewrite(ShownSide.Left); break;
            case "r": StartRewrite(ShownSide.Right); break;
            case "save-rewrite": await SaveRewriteAsync(); break;
            case "cancel-rewrite": await CancelRewriteAsync(); break;
            case "enter": await SubmitAsync(); break;
            case "s": await SkipAsync(); break;
            case "u": await UndoAsync(); break;
        }
        StateHasChanged();
    }

    private async Task SubmitAsync()
    {
        if (_busy || _view?.Pair is not { } pair || !_draft.CanSubmit) return;
        if (_draft.Rewrite is { IsChanged: true }
            && !await ConfirmAsync(T["Submit the verdict and discard the better answer you wrote?"], T["Submit and discard"])) return;
        await RunAsync(async () =>
        {
            await Queue.SubmitAsync(_draft.ToSubmission(pair, _annotator!, Time.GetElapsedTime(_shownAt).TotalSeconds));
            await ClearDraftAsync([]);
            await LoadNextAsync();
        });
    }

    private async Task SkipAsync()
    {
        if (_busy || _view?.Pair is not { } pair) return;
        if (_draft.HasUnsavedText)
        {
            if (!await ConfirmAsync(T["You typed text for this pair that is not saved. Skip it and discard the text?"], T["Skip and discard"])) return;
            await ClearDraftAsync([]);
        }
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
                Snackbar.Add(T["Nothing to undo: you have not judged a pair here yet."], Severity.Info);
            else
                await ShowAsync(view);
        });
    }

    private void StartRewrite(ShownSide side)
    {
        if (_view?.Pair is not { } pair || _draft.Rewrite?.Side == side) return;
        // Switching sides would drop a changed answer: finish or cancel that one first.
        if (_draft.Rewrite is { IsChanged: true })
        {
            Snackbar.Add(T["Save or cancel the better answer you are writing first."], Severity.Warning);
            return;
        }
        _draft.StartRewrite(pair, side);
        _rewriteStartedAt = Time.GetTimestamp();
    }

    private async Task SaveRewriteAsync()
    {
        if (_busy || _view?.Pair is not { } pair || _draft.Rewrite is not { IsChanged: true } rewrite) return;
        await RunAsync(async () =>
        {
            try
            {
                var saved = await Rewriter.SaveAsync(rewrite.ToRewrite(pair, _annotator!, Time.GetElapsedTime(_rewriteStartedAt).TotalSeconds));
                await ClearDraftAsync([rewrite.Field]);
                _draft.CloseRewrite();
                Snackbar.Add(saved.SftKey is null
                    ? T["Saved as pair {0}. Now judge this pair as it is.", saved.PairKey]
                    : T["Saved as pair {0} and SFT example {1} (submitted for review). Now judge this pair as it is.", saved.PairKey, saved.SftKey], Severity.Success);
            }
            catch (ArgumentException e)
            {
                Snackbar.Add(T["Not saved: {0}", e.Message], Severity.Error);
            }
        });
    }

    private async Task CancelRewriteAsync()
    {
        if (_draft.Rewrite is not { } rewrite) return;
        if (rewrite.IsChanged && !await ConfirmAsync(T["Discard the better answer you wrote?"], T["Discard"])) return;
        await ClearDraftAsync([rewrite.Field]);
        _draft.CloseRewrite();
    }

    /// <summary>Asks in a dialog; Enter confirms, Esc cancels (keys in annotate.js).</summary>
    private async Task<bool> ConfirmAsync(string message, string confirm)
    {
        _confirming = true;
        try
        {
            var dialog = await Dialogs.ShowAsync<ConfirmDialog>(T["Unsaved text"],
                new DialogParameters<ConfirmDialog> { { d => d.Message, message }, { d => d.ConfirmText, confirm } },
                new DialogOptions { CloseOnEscapeKey = false, MaxWidth = MaxWidth.Small });
            var result = await dialog.Result;
            return result is { Canceled: false };
        }
        finally
        {
            _confirming = false;
        }
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
        await ShowAsync(view);
    }

    private async Task ShowAsync(QueueView view)
    {
        _view = view;
        _draft = JudgingDraft.For(view.Pair?.Revising);
        _shownAt = Time.GetTimestamp();
        if (view.Pair is not { } pair) return;
        _draftKey = $"{Workspace}|{_annotator}|{pair.PairKey}";
        _rewriteStartedAt = _shownAt;
        if (await Module.InvokeAsync<Dictionary<string, string>?>("loadDraft", _draftKey) is { } stored)
            _draft.Restore(pair, stored);
        await Module.InvokeVoidAsync("startItemTimer", ItemTimerId);
    }

    private async Task ClearDraftAsync(string[] fields) => await Module.InvokeVoidAsync("clearDraft", _draftKey, fields);

    /// <summary>The page's script; pairs are loaded only after it is, in <see cref="OnAfterRenderAsync"/>.</summary>
    private IJSObjectReference Module => _module ?? throw new InvalidOperationException("annotate.js is not loaded yet.");

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
            if (_page is not null)
            {
                await _page.InvokeVoidAsync("dispose");
                await _page.DisposeAsync();
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
