using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Statistics;

public class PairTextFactsTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_SecondReport_TokenisesOnlyTheNewPair(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        var counter = new CountingCounter("words");
        var first = await new QualityReportService(database.Factory, counter).GetAsync(CurationFixture.Workspace);
        var countedFirst = counter.Calls;
        await AddPairAsync(database.Factory, "pair-new", "one two three", "one two three four");

        var second = await new QualityReportService(database.Factory, counter).GetAsync(CurationFixture.Workspace);

        Assert.Equal(2 * 5, countedFirst);
        Assert.Equal(2 * 6, counter.Calls);
        Assert.Equal(first.Length, second.Length);
        await using var db = database.CreateDbContext();
        var facts = await db.PairTextFacts.Where(f => f.Tokenizer == "words").ToListAsync();
        Assert.Equal(6, facts.Count);
        var added = facts.Single(f => f.PairId == db.PreferencePairs.Single(p => p.Key == "pair-new").Id);
        Assert.Equal((13, 18, 3, 4), (added.CharactersA, added.CharactersB, added.TokensA, added.TokensB));
        Assert.Null(added.EditDistance);
    }

    [Fact]
    public async Task GetAsync_AnotherTokenizer_CountsAfreshBesideTheFirstOnesFacts()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await new QualityReportService(database.Factory, new CountingCounter("words")).GetAsync(CurationFixture.Workspace);
        var characters = new CountingCounter("characters", text => text.Length);

        var report = await new QualityReportService(database.Factory, characters).GetAsync(CurationFixture.Workspace);

        Assert.Equal(10, characters.Calls);
        // "B wins" (6 characters) chosen over "A loses" (7).
        Assert.Equal(-1, report.Length.MeanTokenDifference);
        await using var db = database.CreateDbContext();
        Assert.Equal(10, await db.PairTextFacts.CountAsync());
    }

    [Fact]
    public async Task GetAsync_NearIdenticalTextsAndAnAstralCharacter_StoresDistanceAndCodePoints()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await AddPairAsync(database.Factory, "pair-close", "Check the seal kit 😀 now.", "Check the seal kits 😀 now.");

        var report = await new QualityReportService(database.Factory).GetAsync(CurationFixture.Workspace);

        // This pair and three of the fixture's ("pair-bothbad A" / "pair-bothbad B", …; "pair-tie" is exactly 0.1 apart).
        Assert.Equal(4, report.NearIdenticalPairs);
        await using var db = database.CreateDbContext();
        var facts = await db.PairTextFacts.SingleAsync(f => f.PairId == db.PreferencePairs.Single(p => p.Key == "pair-close").Id);
        Assert.Equal(PairTextFacts.NoTokenizer, facts.Tokenizer);
        // The emoji is one code point (as SQL's length() counts) but two UTF-16 units.
        Assert.Equal((25, 26), (facts.CharactersA, facts.CharactersB));
        Assert.Equal(1.0 / 27, facts.EditDistance!.Value, 12);
    }

    [Fact]
    public async Task SaveChanges_ChangedResponseText_IsRefusedSoStoredFactsStayTrue()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await using var db = database.CreateDbContext();
        var pair = await db.PreferencePairs.SingleAsync(p => p.Key == "pair-tie");
        pair.Tags = ["edited"];
        await db.SaveChangesAsync();

        pair.ResponseB.Text = "a better answer";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("pair-tie", error.Message);
    }

    [Fact]
    public async Task DeletePair_WithFacts_DeletesTheFacts()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        await new QualityReportService(database.Factory).GetAsync(CurationFixture.Workspace);
        await using var db = database.CreateDbContext();

        await db.PreferencePairs.Where(p => p.Key == "pair-tie").ExecuteDeleteAsync();

        Assert.Equal(4, await db.PairTextFacts.CountAsync());
    }

    private static async Task AddPairAsync(AnnotateDbContextFactory factory, string key, string a, string b)
    {
        await using var db = factory.CreateDbContext();
        var workspace = await db.Workspaces.SingleAsync(w => w.Name == CurationFixture.Workspace);
        List<ChatMessage> prompt = [new(ChatRoles.User, $"Prompt of {key}")];
        db.PreferencePairs.Add(new PreferencePair
        {
            WorkspaceId = workspace.Id, Key = key, Prompt = prompt, AuthorId = "suzuki", CreatedAt = DateTime.UtcNow,
            ResponseA = new PairResponse { Text = a }, ResponseB = new PairResponse { Text = b },
            ContentHash = ContentHash.ForPair(prompt, a, b),
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Counts words (or what it is given) and how often it was asked, from any thread.</summary>
    private sealed class CountingCounter(string name, Func<string, int>? count = null) : ITokenCounter
    {
        private int _calls;

        public string Name => name;

        public int Calls => _calls;

        public int Count(string text)
        {
            Interlocked.Increment(ref _calls);
            return count?.Invoke(text) ?? text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        }
    }
}
