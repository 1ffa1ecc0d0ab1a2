using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Dynamics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Dynamics;

public sealed class PairTableTests : BunitContext, IAsyncLifetime
{
    public PairTableTests()
    {
        Services.AddLocalization();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static PairDiagnostic Pair(int index, double margin, PairFlags flags, int? lengthDifference = null) => new(
        index, -20, -25, DeltaChosen: -margin / 4, DeltaRejected: -margin * 5 / 4, margin, 1 / (1 + Math.Exp(0.1 * margin)),
        lengthDifference is null ? null : 10 + lengthDifference, lengthDifference is null ? null : 10, 0.5, flags, PairOutcome.Other, []);

    private static IReadOnlyList<PairDiagnostic> Pairs =>
    [
        Pair(0, 2, PairFlags.None, lengthDifference: 3),
        Pair(1, 8, PairFlags.Displacement | PairFlags.Suppression, lengthDifference: -4),
        Pair(2, 5, PairFlags.NearIdentical),
    ];

    private static List<string> RowOrder(IRenderedComponent<PairTable> table) =>
        table.FindAll("tbody tr").Select(r => r.GetAttribute("data-pair")!).ToList();

    [Fact]
    public void PairTable_FlaggedPairs_ShowEachFlag()
    {
        var table = Render<PairTable>(p => p.Add(c => c.Pairs, Pairs));

        var flagged = table.Find("tr[data-pair='1']");
        Assert.Equal(["Displacement", "Suppression"], flagged.QuerySelectorAll("[data-flag]").Select(f => f.GetAttribute("data-flag")));
        Assert.Contains("displacement", flagged.TextContent, StringComparison.Ordinal);
        Assert.Contains("near-identical", table.Find("tr[data-pair='2']").TextContent, StringComparison.Ordinal);
        Assert.Empty(table.Find("tr[data-pair='0']").QuerySelectorAll("[data-flag]"));
    }

    [Fact]
    public void PairTable_ClickingAHeader_SortsLargestFirstThenReverses()
    {
        var table = Render<PairTable>(p => p.Add(c => c.Pairs, Pairs));
        Assert.Equal(["0", "1", "2"], RowOrder(table));

        table.Find("button[data-column=Margin]").Click();
        Assert.Equal(["1", "2", "0"], RowOrder(table));
        Assert.Equal("descending", table.Find("button[data-column=Margin]").ParentElement!.GetAttribute("aria-sort"));

        table.Find("button[data-column=Margin]").Click();
        Assert.Equal(["0", "2", "1"], RowOrder(table));
    }

    [Fact]
    public void PairTable_SortByLength_PutsPairsWithoutTokenCountsLast()
    {
        var table = Render<PairTable>(p => p.Add(c => c.Pairs, Pairs));

        table.Find("button[data-column=LengthDifference]").Click();
        Assert.Equal(["0", "1", "2"], RowOrder(table));
        table.Find("button[data-column=LengthDifference]").Click();
        Assert.Equal(["1", "0", "2"], RowOrder(table));
        Assert.Equal("—", table.Find("tr[data-pair='2']").QuerySelectorAll("td")[5].TextContent.Trim());
    }

    [Fact]
    public void PairTable_SortByFlags_PutsTheMostFlaggedFirst()
    {
        var table = Render<PairTable>(p => p.Add(c => c.Pairs, Pairs));

        table.Find("button[data-column=Flags]").Click();

        Assert.Equal(["1", "2", "0"], RowOrder(table));
    }
}
