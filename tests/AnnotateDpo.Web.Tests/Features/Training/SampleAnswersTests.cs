using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Web.Features.Training;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Training;

public sealed class SampleAnswersTests : BunitContext, IAsyncLifetime
{
    public SampleAnswersTests()
    {
        Services.AddLocalization();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static SamplePass Pass(string stage, int step, params string[] answers) =>
        new(stage, step, 10, answers.Select((text, index) => new EvalSample(index, $"prompt {index}", text, text.Length, Finished: text.Length < 8)).ToList());

    [Fact]
    public void SampleAnswers_SeveralPasses_ShowsEachPromptAtTheStartBesideTheLatestPass()
    {
        IReadOnlyList<SamplePass> passes = [Pass("sft", 0, "a", "b"), Pass("sft", 5, "aa", "bb"), Pass("dpo", 10, "<b>aaaaaaaaa</b>", "bbb")];

        var view = Render<SampleAnswers>(p => p.Add(c => c.Samples, passes));

        var rows = view.FindAll("[data-testid=sample-answers] tbody tr");
        Assert.Equal(["0", "1"], rows.Select(r => r.GetAttribute("data-prompt")));
        var cells = rows[0].QuerySelectorAll("td");
        Assert.Equal("prompt 0", cells[0].TextContent);
        Assert.StartsWith("a", cells[1].TextContent.Trim());
        // The model's text is shown as text, never as markup.
        Assert.Contains("<b>aaaaaaaaa</b>", cells[2].TextContent);
        Assert.Empty(cells[2].QuerySelectorAll("b"));
        Assert.Contains("cut at the token limit", cells[2].TextContent);
        Assert.DoesNotContain("cut at the token limit", rows[1].QuerySelectorAll("td")[2].TextContent);
        var headers = view.FindAll("[data-testid=sample-answers] th").Select(h => h.TextContent).ToList();
        Assert.Equal(["Prompt", $"SFT, step {0.ToString("N0", CultureInfo.CurrentCulture)}", $"DPO, step {10.ToString("N0", CultureInfo.CurrentCulture)}"], headers);
    }

    [Fact]
    public void SampleAnswers_NoPasses_RendersNothing()
    {
        var view = Render<SampleAnswers>(p => p.Add(c => c.Samples, []));

        Assert.Empty(view.Markup.Trim());
    }
}
