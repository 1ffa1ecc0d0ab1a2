using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Browse;

public sealed class BrowseServiceTests
{
    private static readonly BrowseViewer Manager = new("yamada", IsManager: true);

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<(TestDatabase Database, BrowseService Browse)> SeededAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await BrowseWorkspace.SeedAsync(database.Factory);
        return (database, new BrowseService(database.Factory));
    }

    private static async Task<string[]> SftKeysAsync(BrowseService browse, BrowseFilter filter, BrowseViewer? viewer = null) =>
        (await browse.ListSftAsync(BrowseWorkspace.Name, filter with { Sort = BrowseSort.Key, Descending = false }, viewer ?? Manager, 0, 50))
        .Items.Select(r => r.Key).ToArray();

    private static async Task<string[]> PairKeysAsync(BrowseService browse, BrowseFilter filter) =>
        (await browse.ListPairsAsync(BrowseWorkspace.Name, filter with { Sort = BrowseSort.Key, Descending = false }, Manager, 0, 50))
        .Items.Select(r => r.Key).ToArray();

    [Theory, MemberData(nameof(Providers))]
    public async Task ListSft_EachFilter_KeepsOnlyMatchingExamples(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;

        Assert.Equal(["s-bleed", "s-pressure"], await SftKeysAsync(browse, new BrowseFilter { Category = "hydraulics" }));
        Assert.Equal(["s-bleed", "s-none"], await SftKeysAsync(browse, new BrowseFilter { Tag = "loto" }));
        Assert.Equal(["s-bleed", "s-none"], await SftKeysAsync(browse, new BrowseFilter { Status = SftStatus.Approved }));
        Assert.Equal(["s-bleed", "s-guard"], await SftKeysAsync(browse, new BrowseFilter { Author = "tanaka" }));
        Assert.Equal(["s-guard", "s-pressure"], await SftKeysAsync(browse, new BrowseFilter { From = new DateOnly(2026, 10, 2), To = new DateOnly(2026, 10, 3) }));
        Assert.Equal(["s-bleed"], await SftKeysAsync(browse, new BrowseFilter { Category = "hydraulics", Tag = "loto", Author = "tanaka" }));
        Assert.Equal(["s-bleed", "s-draft", "s-guard", "s-none", "s-pressure"], await SftKeysAsync(browse, new BrowseFilter()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ListPairs_EachFilter_KeepsOnlyMatchingPairs(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;

        Assert.Equal(["p-final", "p-unjudged"], await PairKeysAsync(browse, new BrowseFilter { Category = "safety" }));
        Assert.Equal(["p-final", "p-unjudged"], await PairKeysAsync(browse, new BrowseFilter { Tag = "safety" }));
        Assert.Equal(["p-agreed", "p-final"], await PairKeysAsync(browse, new BrowseFilter { Author = "tanaka" }));
        Assert.Equal(["p-disagreed"], await PairKeysAsync(browse, new BrowseFilter { From = new DateOnly(2026, 10, 2), To = new DateOnly(2026, 10, 2) }));
        Assert.Equal(["p-unjudged"], await PairKeysAsync(browse, new BrowseFilter { Agreement = PairAgreement.Unjudged }));
        Assert.Equal(["p-agreed"], await PairKeysAsync(browse, new BrowseFilter { Agreement = PairAgreement.Agreed }));
        Assert.Equal(["p-disagreed"], await PairKeysAsync(browse, new BrowseFilter { Agreement = PairAgreement.Disagreed }));
        Assert.Equal(["p-final"], await PairKeysAsync(browse, new BrowseFilter { Agreement = PairAgreement.Final }));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_IgnoresCaseAndWidthAndFindsSubstringsOfJapanese(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;

        Assert.Equal(["s-bleed"], await SftKeysAsync(browse, new BrowseFilter { Search = "bleed THE" }));
        // Full-width ＬＯＴＯ in the answer, half-width lower case in the query.
        Assert.Equal(["s-bleed"], await SftKeysAsync(browse, new BrowseFilter { Search = "loto" }));
        Assert.Equal(["s-pressure"], await SftKeysAsync(browse, new BrowseFilter { Search = "圧力" }));
        Assert.Equal(["s-guard"], await SftKeysAsync(browse, new BrowseFilter { Search = "鍵を抜いて" }));
        Assert.Equal(["s-bleed", "s-draft", "s-guard", "s-none", "s-pressure"], await SftKeysAsync(browse, new BrowseFilter { Search = "maintenance assistant" }));
        Assert.Empty(await SftKeysAsync(browse, new BrowseFilter { Search = "assistant. how" }));
        Assert.Equal(["p-agreed"], await PairKeysAsync(browse, new BrowseFilter { Search = "異音" }));
        Assert.Equal(["p-disagreed"], await PairKeysAsync(browse, new BrowseFilter { Search = "p-disagreed: そのまま" }));
        Assert.Equal(["p-unjudged"], await PairKeysAsync(browse, new BrowseFilter { Search = "OVER-temperature" }));
        Assert.Equal(["p-final"], await PairKeysAsync(browse, new BrowseFilter { Search = "カーテン", Category = "safety" }));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ListPairs_AgreementOfRandomJudgments_EqualsPairResolver(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var random = new Random(7);
        await using (var db = database.CreateDbContext())
        {
            var workspace = new Workspace { Name = "random", CreatedAt = BrowseWorkspace.Day1 };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            string[] annotators = ["a1", "a2", "a3", "a4", "manager"];
            var number = 0;
            for (var p = 0; p < 120; p++)
            {
                List<ChatMessage> prompt = [new(ChatRoles.User, $"prompt {p}")];
                db.PreferencePairs.Add(new PreferencePair
                {
                    WorkspaceId = workspace.Id, Key = $"p{p:D3}", Prompt = prompt, AuthorId = "gen", CreatedAt = BrowseWorkspace.Day1,
                    ResponseA = new PairResponse { Text = "a" }, ResponseB = new PairResponse { Text = "b" }, ContentHash = ContentHash.ForPair(prompt, $"a{p}", "b"),
                    // Up to six judgments from five people: changed verdicts and finals that a later ordinary judgment supersedes.
                    Judgments = Enumerable.Range(0, random.Next(7)).Select(_ =>
                    {
                        var who = annotators[random.Next(annotators.Length)];
                        return new Judgment
                        {
                            Key = $"j{++number}", AnnotatorId = who, Verdict = (Verdict)random.Next(4), CreatedAt = BrowseWorkspace.Day1,
                            IsFinal = who == "manager" && random.Next(2) == 0,
                        };
                    }).ToList(),
                });
            }
            await db.SaveChangesAsync();
        }
        await using var check = database.CreateDbContext();
        var expected = (await check.PreferencePairs.Include(p => p.Judgments).ToListAsync())
            .ToLookup(p => Classify(p.Judgments), p => p.Key);
        var browse = new BrowseService(database.Factory);

        foreach (var agreement in Enum.GetValues<PairAgreement>())
        {
            var page = await browse.ListPairsAsync("random", new BrowseFilter { Agreement = agreement, Sort = BrowseSort.Key, Descending = false }, Manager, 0, 500);
            Assert.Equal(expected[agreement].Order(StringComparer.Ordinal), page.Items.Select(r => r.Key));
            Assert.Equal(expected[agreement].Count(), page.Total);
        }
        Assert.All(Enum.GetValues<PairAgreement>(), a => Assert.NotEmpty(expected[a]));
    }

    /// <summary>The agreement filter's meaning stated over PairResolver, judgment by judgment.</summary>
    private static PairAgreement Classify(IReadOnlyList<Judgment> judgments)
    {
        var resolution = PairResolver.Resolve(judgments);
        if (resolution.Outcome == PairOutcome.Unjudged) return PairAgreement.Unjudged;
        if (PairResolver.LatestPerAnnotator(judgments).Any(j => j.IsFinal)) return PairAgreement.Final;
        return resolution.Outcome == PairOutcome.Disagreement ? PairAgreement.Disagreed : PairAgreement.Agreed;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ListSft_Pages_ReturnTheTotalAndEveryRowOnce(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;
        var filter = new BrowseFilter { Sort = BrowseSort.Author, Descending = true };

        var pages = new[]
        {
            await browse.ListSftAsync(BrowseWorkspace.Name, filter, Manager, 0, 2),
            await browse.ListSftAsync(BrowseWorkspace.Name, filter, Manager, 2, 2),
            await browse.ListSftAsync(BrowseWorkspace.Name, filter, Manager, 4, 2),
        };

        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal([2, 2, 1], pages.Select(p => p.Items.Count));
        var rows = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(["tanaka", "tanaka", "suzuki", "suzuki", "sato"], rows.Select(r => r.Author));
        Assert.Equal(5, rows.Select(r => r.Key).Distinct().Count());
        Assert.Equal("How do I Bleed the hydraulic line?", rows.Single(r => r.Key == "s-bleed").Preview);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Annotator_SeesNoOthersDraftsAndOnlyOwnJudgments(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;
        var tanaka = new BrowseViewer("tanaka", IsManager: false);

        var keys = await SftKeysAsync(browse, new BrowseFilter(), tanaka);
        var draft = await browse.GetSftAsync(BrowseWorkspace.Name, "s-draft", tanaka);
        var pair = await browse.GetPairAsync(BrowseWorkspace.Name, "p-final", tanaka);
        var managerView = await browse.GetPairAsync(BrowseWorkspace.Name, "p-final", Manager);
        var rows = await browse.ListPairsAsync(BrowseWorkspace.Name, new BrowseFilter(), tanaka, 0, 10);

        Assert.DoesNotContain("s-draft", keys);
        Assert.Null(draft);
        Assert.Equal(["tanaka"], pair!.Judgments.Select(j => j.Annotator));
        Assert.Null(pair.Outcome);
        Assert.All(rows.Items, r => Assert.Null(r.Outcome));
        Assert.Equal(["tanaka", "suzuki", "manager"], managerView!.Judgments.Select(j => j.Annotator));
        Assert.Equal(PairOutcome.BChosen, managerView.Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            browse.ListPairsAsync(BrowseWorkspace.Name, new BrowseFilter { Agreement = PairAgreement.Final }, tanaka, 0, 10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task GetSft_RejectedExample_CarriesStatusCommentAndConversation(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;

        var detail = await browse.GetSftAsync(BrowseWorkspace.Name, "s-guard", Manager);

        Assert.Equal(SftStatus.Rejected, detail!.Status);
        Assert.Equal("Give the torque value.", detail.ReviewComment);
        Assert.Equal([ChatRoles.System, ChatRoles.User, ChatRoles.Assistant], detail.Messages.Select(m => m.Role));
        Assert.Equal("safety", detail.Category);
    }

    [Fact]
    public async Task List_FilterNamingAnUnknownCategory_SaysWhichField()
    {
        var (database, browse) = await SeededAsync(DatabaseProvider.Sqlite);
        await using var _ = database;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            browse.ListSftAsync(BrowseWorkspace.Name, new BrowseFilter { Category = "electrics" }, Manager, 0, 10));
        var dates = await Assert.ThrowsAsync<ArgumentException>(() =>
            browse.ListPairsAsync(BrowseWorkspace.Name, new BrowseFilter { From = new DateOnly(2026, 10, 5), To = new DateOnly(2026, 10, 1) }, Manager, 0, 10));

        Assert.StartsWith("category: 'electrics' is not a category of workspace '保全'. Categories: hydraulics, safety.", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("from: 2026-10-05 is after to: 2026-10-01.", dates.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Facets_ListCategoriesTagsAndAuthors()
    {
        var (database, browse) = await SeededAsync(DatabaseProvider.Sqlite);
        await using var _ = database;

        var facets = await browse.FacetsAsync(BrowseWorkspace.Name, Manager);

        Assert.Equal(["hydraulics", "safety"], facets.Categories);
        Assert.Equal(["hydraulics", "loto", "safety"], facets.Tags);
        Assert.Equal(["sato", "suzuki", "tanaka"], facets.Authors);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task FillMissing_RowsWrittenAroundEf_BecomeSearchable(DatabaseProvider provider)
    {
        var (database, browse) = await SeededAsync(provider);
        await using var _ = database;
        await using (var db = database.CreateDbContext())
        {
            await db.SftExamples.ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<string?>(e, SearchColumns.Text), (string?)null)
                .SetProperty(e => EF.Property<string?>(e, SearchColumns.Tags), (string?)null));
        }
        var before = await SftKeysAsync(browse, new BrowseFilter { Search = "圧力" });

        var filled = await SearchColumns.FillMissingAsync(database.Factory);

        Assert.Empty(before);
        Assert.Equal(5, filled);
        Assert.Equal(["s-pressure"], await SftKeysAsync(browse, new BrowseFilter { Search = "圧力" }));
        Assert.Equal(["s-bleed", "s-none"], await SftKeysAsync(browse, new BrowseFilter { Tag = "loto" }));
    }

    [Fact]
    public async Task Save_EditedMessages_RefreshesTheSearchText()
    {
        var (database, browse) = await SeededAsync(DatabaseProvider.Sqlite);
        await using var _ = database;
        await using (var db = database.CreateDbContext())
        {
            var example = await db.SftExamples.SingleAsync(e => e.Key == "s-none");
            example.Messages = [new(ChatRoles.User, "What is zero energy state?"), new(ChatRoles.Assistant, "All energy isolated.")];
            example.Tags = ["energy"];
            await db.SaveChangesAsync();
        }

        Assert.Equal(["s-none"], await SftKeysAsync(browse, new BrowseFilter { Search = "ZERO energy" }));
        Assert.Empty(await SftKeysAsync(browse, new BrowseFilter { Search = "lockout" }));
        Assert.Equal(["s-none"], await SftKeysAsync(browse, new BrowseFilter { Tag = "energy" }));
    }
}
