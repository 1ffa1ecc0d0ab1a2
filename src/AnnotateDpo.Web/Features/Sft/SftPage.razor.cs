using System.Globalization;
using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AnnotateDpo.Web.Features.Sft;

/// <summary>
/// The SFT editor of one workspace. Every keystroke updates the preview and marks the draft dirty; one save runs at
/// a time and, when it ends, saves again while changes arrived meanwhile, so the stored draft trails the typing by
/// one save and never lags behind a timer. The draft's id goes into the address (<c>?example=</c>), so a reload or a
/// new circuit opens the same draft.
/// </summary>
public sealed partial class SftPage
{
    [Inject] private SftAuthoringService Authoring { get; set; } = null!;
    [Inject] private SftDuplicateIndex Duplicates { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    /// <summary>The example to edit, from <c>?example=</c>; none starts a new one.</summary>
    [SupplyParameterFromQuery(Name = "example")] public long? Example { get; set; }

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private Task? _saving;
    private bool _dirty;
    private AuthoringWorkspace? _workspace;
    private string? _author;
    private string? _notFound;
    private string? _error;
    private SftEditor? _editor;
    private IReadOnlyList<SftExampleView> _mine = [];
    private IReadOnlyList<DuplicateMatch> _duplicates = [];
    private CategoryTemplate? _offeredTemplate;
    private DateTime? _savedAt;
    private bool _busy;
    private ITokenCounter? _tokens;

    protected override async Task OnParametersSetAsync()
    {
        _tokens ??= Services.GetService<ITokenCounter>();
        _author ??= (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("The SFT editor needs a signed-in user.");
        if (_workspace?.Name != Workspace)
        {
            try
            {
                _workspace = await Authoring.DescribeAsync(Workspace);
                _mine = await Authoring.ListMineAsync(Workspace, _author);
                _notFound = null;
                _editor = null;
            }
            catch (WorkspaceNotFoundException e)
            {
                _notFound = e.Message;
                return;
            }
        }
        if (_editor is not null && _editor.Id == Example) return;
        await OpenAsync(Example);
    }

    /// <summary>The author's own draft or rejected example in the editor; anything else opens read-only.</summary>
    private async Task OpenAsync(long? id)
    {
        _error = null;
        _savedAt = null;
        _offeredTemplate = null;
        _duplicates = [];
        if (id is not long exampleId)
        {
            _editor = new SftEditor();
            return;
        }
        var example = await Authoring.GetAsync(Workspace, exampleId);
        if (example is null || example.AuthorId != _author || example.Status is SftStatus.Submitted or SftStatus.Approved)
        {
            Navigation.NavigateTo(ExampleHref(exampleId), replace: true);
            return;
        }
        _editor = SftEditor.From(example);
        _savedAt = example.UpdatedAt;
        await CheckDuplicatesAsync();
    }

    private Task OnTurnChangedAsync(EditorTurn turn, string text)
    {
        turn.Content = text ?? "";
        return ChangedAsync();
    }

    private Task OnSystemChangedAsync(string text)
    {
        _editor!.System = text ?? "";
        return ChangedAsync();
    }

    private Task OnTagsChangedAsync(string text)
    {
        _editor!.Tags = text ?? "";
        return ChangedAsync();
    }

    private Task OnCategoryChangedAsync(string? category)
    {
        _editor!.Category = category;
        var template = _workspace!.Categories.FirstOrDefault(c => c.Name == category);
        _offeredTemplate = _editor.IsEmpty && template is { StarterPrompt.Length: > 0 } ? template : null;
        return ChangedAsync();
    }

    private Task UseTemplateAsync()
    {
        _editor!.UseStarterPrompt(_offeredTemplate!.StarterPrompt);
        _offeredTemplate = null;
        return ChangedAsync();
    }

    private void AddTurn() => _editor!.AddTurn();

    private Task RemoveTurnAsync(EditorTurn turn)
    {
        _editor!.RemoveTurn(turn);
        return ChangedAsync();
    }

    /// <summary>Starts the save loop unless it runs already; then it picks this change up when the current save ends.</summary>
    private Task ChangedAsync()
    {
        if (!_editor!.IsEmpty) _offeredTemplate = null;
        _dirty = true;
        if (_saving is { IsCompleted: false }) return Task.CompletedTask;
        _saving = SaveWhileDirtyAsync();
        return _saving;
    }

    /// <summary>Saves until no change is left unsaved, then checks the result against the workspace's other examples.</summary>
    private async Task SaveWhileDirtyAsync()
    {
        while (_dirty)
        {
            _dirty = false;
            await SaveOnceAsync(_editor!);
        }
        await CheckDuplicatesAsync();
    }

    /// <summary>Saves the draft; an empty editor never creates one.</summary>
    private async Task SaveOnceAsync(SftEditor editor)
    {
        if (editor.Id is null && editor.IsEmpty) return;
        try
        {
            var saved = await Authoring.SaveDraftAsync(Workspace, _author!, editor.Id, editor.ToContent());
            _error = null;
            _savedAt = saved.UpdatedAt;
            editor.Status = saved.Status;
            if (editor.Id is null)
            {
                editor.Id = saved.Id;
                _mine = await Authoring.ListMineAsync(Workspace, _author!);
                if (ReferenceEquals(editor, _editor))
                    Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("example", saved.Id), replace: true);
            }
        }
        catch (SftAuthoringException e)
        {
            _error = e.Message;
        }
    }

    /// <summary>Waits for the save loop, after one more save of what is on screen.</summary>
    private async Task FlushAsync()
    {
        _ = ChangedAsync();
        while (_saving is { IsCompleted: false } saving) await saving;
    }

    private async Task CheckDuplicatesAsync() =>
        _duplicates = await Duplicates.FindAsync(Workspace, _editor!.Messages, _editor.Id);

    private async Task SubmitAsync()
    {
        if (_busy || _editor is null) return;
        _busy = true;
        try
        {
            await FlushAsync();
            if (_editor.Id is not long id) return;
            await Authoring.SubmitAsync(Workspace, _author!, id);
            Snackbar.Add(T["Submitted for review."], Severity.Success);
            _mine = await Authoring.ListMineAsync(Workspace, _author!);
            await NewExampleAsync();
        }
        catch (SftAuthoringException e)
        {
            _error = e.Problem is { } problem ? T[ProblemText(problem)] : e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task NewExampleAsync()
    {
        while (_saving is { IsCompleted: false } saving) await saving;
        await OpenAsync(null);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("example", (long?)null), replace: true);
    }

    private string Counts(string text)
    {
        var characters = new StringInfo(text).LengthInTextElements.ToString("N0", CultureInfo.CurrentCulture);
        return _tokens is null
            ? T["{0} characters", characters]
            : T["{0} characters · {1} tokens", characters, _tokens.Count(text).ToString("N0", CultureInfo.CurrentCulture)];
    }

    private static string Summary(SftExampleView example)
    {
        var first = example.Messages.FirstOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "";
        return first.Length <= 80 ? first : first[..80] + "…";
    }

    private string ExampleHref(long id) => $"sft/{Uri.EscapeDataString(Workspace)}/examples/{id}";

    private string EditHref(long id) => $"sft/{Uri.EscapeDataString(Workspace)}?example={id}";

    internal static string ProblemText(ConversationProblem problem) => problem switch
    {
        ConversationProblem.NoTurns => "Write a user turn and the assistant's answer.",
        ConversationProblem.FirstTurnNotUser => "The conversation must start with a user turn.",
        ConversationProblem.LastTurnNotAssistant => "The last turn must be the assistant's answer.",
        ConversationProblem.EmptyTurn => "Fill in or remove the empty turns.",
        ConversationProblem.MisplacedSystem => "The system message must come first.",
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
