using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Persistence;

/// <summary>The same checks on SQLite and on PostgreSQL: the schema, its constraints, and the counting queries.</summary>
public class StorageTests
{
    [Fact]
    public Task Sqlite_RoundTripsLongJapaneseText() => RoundTripsLongJapaneseText(TestDatabase.CreateSqliteAsync);

    [PostgresFact]
    public Task Postgres_RoundTripsLongJapaneseText() => RoundTripsLongJapaneseText(TestDatabase.CreatePostgresAsync);

    [Fact]
    public Task Sqlite_RejectsRowsOfAMissingWorkspace() => RejectsRowsOfAMissingWorkspace(TestDatabase.CreateSqliteAsync);

    [PostgresFact]
    public Task Postgres_RejectsRowsOfAMissingWorkspace() => RejectsRowsOfAMissingWorkspace(TestDatabase.CreatePostgresAsync);

    [Fact]
    public Task Sqlite_StatsCountInSqlAsTheResolverDoes() => StatsCountInSqlAsTheResolverDoes(TestDatabase.CreateSqliteAsync);

    [PostgresFact]
    public Task Postgres_StatsCountInSqlAsTheResolverDoes() => StatsCountInSqlAsTheResolverDoes(TestDatabase.CreatePostgresAsync);

    [Fact]
    public Task Sqlite_ConcurrentJudgmentsAreAllKept() => ConcurrentJudgmentsAreAllKept(TestDatabase.CreateSqliteAsync);

    [PostgresFact]
    public Task Postgres_ConcurrentJudgmentsAreAllKept() => ConcurrentJudgmentsAreAllKept(TestDatabase.CreatePostgresAsync);

    [Fact]
    public async Task Sqlite_DatabaseIsInWalModeWithForeignKeys()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync();
        command.CommandText = "PRAGMA foreign_keys;";
        var foreignKeys = Convert.ToInt64(await command.ExecuteScalarAsync());

        Assert.Equal("wal", journal);
        Assert.Equal(1, foreignKeys);
    }

    [Fact]
    public void DatabaseTarget_ParsesEachForm()
    {
        Assert.Equal(DatabaseProvider.Sqlite, DatabaseTarget.Parse("data/x.db").Provider);
        Assert.Equal(Path.GetFullPath("data/x.db"), DatabaseTarget.Parse("Data Source=data/x.db").SqliteFile);
        Assert.Equal(DatabaseProvider.Postgres, DatabaseTarget.Parse("Host=db;Database=a;Username=u;Password=p").Provider);
        var uri = DatabaseTarget.Parse("postgres://user:secret@db:5433/annot");
        Assert.Equal("Host=db;Port=5433;Database=annot;Username=user;Password=secret", uri.ConnectionString);
        Assert.DoesNotContain("secret", uri.Describe());
    }

    private static async Task RoundTripsLongJapaneseText(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        await CurationFixture.SeedAsync(database.Factory);
        var text = string.Concat(Enumerable.Repeat("油圧ユニットの圧力が 21 MPa を下回る 🔧, \"quoted\"\r\n", 3_000))[..100_000];

        await using (var db = database.Factory.CreateDbContext())
        {
            var example = await db.SftExamples.SingleAsync(e => e.Key == "sft-1");
            example.Messages = [new(ChatRoles.User, "質問"), new(ChatRoles.Assistant, text)];
            await db.SaveChangesAsync();
        }
        await using var reread = database.Factory.CreateDbContext();
        var stored = await reread.SftExamples.AsNoTracking().SingleAsync(e => e.Key == "sft-1");

        Assert.Equal(text, stored.Messages[1].Content);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
    }

    private static async Task RejectsRowsOfAMissingWorkspace(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        await using var db = database.Factory.CreateDbContext();
        db.SftExamples.Add(new SftExample { WorkspaceId = 9999, Key = "orphan", AuthorId = "x", ContentHash = "h" });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private static async Task StatsCountInSqlAsTheResolverDoes(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        await CurationFixture.SeedAsync(database.Factory);
        await using (var db = database.Factory.CreateDbContext())
        {
            // tanaka changes his mind on the disagreement: the pair becomes resolved for B.
            var pair = await db.PreferencePairs.SingleAsync(p => p.Key == "pair-disagree");
            db.Judgments.Add(new Judgment { Key = "j-changed", PairId = pair.Id, AnnotatorId = "tanaka", Verdict = Verdict.B, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var stats = await new WorkspaceStatsService(database.Factory).GetAsync(CurationFixture.Workspace);
        await using var check = database.Factory.CreateDbContext();
        var inMemory = (await check.PreferencePairs.Include(p => p.Judgments).ToListAsync())
            .Select(p => PairResolver.Resolve(p.Judgments).Outcome).ToList();

        Assert.Equal(new PairCounts(5, 2, 1, 1, 0, 1), stats.Pairs);
        Assert.Equal(inMemory.Count(o => o is PairOutcome.AChosen or PairOutcome.BChosen), stats.Pairs.Resolved);
        Assert.Equal(new SftCounts(1, 0, 4, 1), stats.Sft);
        Assert.Equal(8, stats.LatestJudgments);
        Assert.Equal(1.0 / 8, stats.TieRate, 6);
        Assert.Equal(2.0 / 8, stats.BothBadRate, 6);
    }

    private static async Task ConcurrentJudgmentsAreAllKept(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        await CurationFixture.SeedAsync(database.Factory);
        long pairId;
        await using (var db = database.Factory.CreateDbContext())
            pairId = (await db.PreferencePairs.SingleAsync(p => p.Key == "pair-unjudged")).Id;

        async Task Annotate(string annotator)
        {
            for (var i = 0; i < 20; i++)
            {
                await using var db = database.Factory.CreateDbContext();
                db.Judgments.Add(new Judgment
                {
                    Key = $"{annotator}-{i}", PairId = pairId, AnnotatorId = annotator,
                    Verdict = i % 2 == 0 ? Verdict.A : Verdict.B, CreatedAt = DateTime.UtcNow,
                });
                await db.SaveChangesAsync();
            }
        }
        await Task.WhenAll(Annotate("tanaka"), Annotate("suzuki"));

        await using var reread = database.Factory.CreateDbContext();
        Assert.Equal(40, await reread.Judgments.CountAsync(j => j.PairId == pairId));
    }
}
