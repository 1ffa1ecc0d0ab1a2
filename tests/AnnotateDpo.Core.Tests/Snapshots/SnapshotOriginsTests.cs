using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AnnotateDpo.Core.Tests.Snapshots;

/// <summary>Snapshots tell on-policy pairs from human-written ones, including snapshots taken before they recorded it.</summary>
public sealed class SnapshotOriginsTests
{
    private static PreferencePair Pair(long workspaceId, string key, ResponseOrigin a, ResponseOrigin b) => new()
    {
        WorkspaceId = workspaceId, Key = key, Prompt = [new(ChatRoles.User, $"{key}?")],
        ResponseA = new PairResponse { Text = $"{key} A", Origin = a }, ResponseB = new PairResponse { Text = $"{key} B", Origin = b },
        AuthorId = "import", CreatedAt = DateTime.UtcNow, ContentHash = key,
        Judgments = [new Judgment { Key = $"{key}-j", AnnotatorId = "tanaka", Verdict = Verdict.B, Strength = VerdictStrength.Clear, CreatedAt = DateTime.UtcNow }],
    };

    [Fact]
    public async Task CreateAsync_ModelAndHumanPairs_RecordsEachAnswersOriginBySide()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.CreateDbContext())
        {
            var workspace = new Workspace { Name = "ws", CreatedAt = DateTime.UtcNow };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            db.PreferencePairs.AddRange(
                Pair(workspace.Id, "generated", ResponseOrigin.Model, ResponseOrigin.Model),
                Pair(workspace.Id, "written", ResponseOrigin.Human, ResponseOrigin.Human),
                Pair(workspace.Id, "edited", ResponseOrigin.Human, ResponseOrigin.Edited));
            await db.SaveChangesAsync();
        }

        var snapshot = (await new SnapshotService(database.Factory, TimeProvider.System).CreateAsync(new SnapshotRequest("ws", EvalFraction: 0))).Snapshot;

        // B was judged better, so B's origin is the chosen one's.
        var edited = snapshot.PairItems.Single(i => i.SourceKey == "edited");
        Assert.Equal((ResponseOrigin.Edited, ResponseOrigin.Human), (edited.ChosenOrigin, edited.RejectedOrigin));
        Assert.Equal(new PairOriginCounts(Human: 1, Model: 1, Mixed: 1), PairOriginCounts.Of(snapshot.PairItems));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migration_SnapshotTakenBefore_GetsItsOriginsFromItsSourcePairs(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long snapshotId;
        await using (var db = database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("PairReviews");
            var workspace = new Workspace { Name = "ws", CreatedAt = DateTime.UtcNow };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            db.PreferencePairs.Add(Pair(workspace.Id, "generated", ResponseOrigin.Human, ResponseOrigin.Model));
            var snapshot = new DatasetSnapshot { WorkspaceId = workspace.Id, ContentHash = "h", CreatedAt = DateTime.UtcNow, CreatedBy = "cli" };
            db.Snapshots.Add(snapshot);
            await db.SaveChangesAsync();
            snapshotId = snapshot.Id;
            // The table as it was before the migration: no origin columns yet.
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "SnapshotPairItems" ("SnapshotId", "Ordinal", "Split", "SourceKey", "Prompt", "Chosen", "Rejected") VALUES ({0}, 0, 'Train', 'generated', '[]', 'generated B', 'generated A')""",
                snapshotId);
        }

        await database.Factory.MigrateAsync();

        await using var after = database.CreateDbContext();
        var item = await after.SnapshotPairItems.SingleAsync(i => i.SnapshotId == snapshotId);
        Assert.Equal((ResponseOrigin.Model, ResponseOrigin.Human), (item.ChosenOrigin, item.RejectedOrigin));
    }
}
