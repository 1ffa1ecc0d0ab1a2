using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Tests.Curation;

public sealed class JudgingSettingsServiceTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private JudgingSettingsService _settings = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateSqliteAsync();
        _settings = new JudgingSettingsService(_db.Factory);
        await using var db = _db.CreateDbContext();
        db.Workspaces.Add(new Workspace { Name = "press line", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task SaveAsync_NewTargetAndGuidelines_AreReadBackAndUsedByTheQueue()
    {
        await _settings.SaveAsync("press line", new JudgingSettings(3, "# Rules\n\nSafety first.\n"));

        var read = await _settings.GetAsync("press line");
        var described = await new JudgmentQueue(_db.Factory, TimeProvider.System).DescribeAsync("press line");

        Assert.Equal(new JudgingSettings(3, "# Rules\n\nSafety first."), read);
        Assert.Equal(3, described.OverlapTarget);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JudgingSettings.MaxOverlapTarget + 1)]
    public async Task SaveAsync_OverlapTargetOutOfRange_ThrowsNamingItAndKeepsTheOldOne(int target)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _settings.SaveAsync("press line", new JudgingSettings(target, "")));

        Assert.StartsWith("OverlapTarget", error.Message, StringComparison.Ordinal);
        Assert.Equal(Workspace.DefaultOverlapTarget, (await _settings.GetAsync("press line")).OverlapTarget);
    }

    [Fact]
    public async Task GetAsync_UnknownWorkspace_ThrowsNamingTheKnownOnes()
    {
        var error = await Assert.ThrowsAsync<WorkspaceNotFoundException>(() => _settings.GetAsync("missing"));

        Assert.Contains("press line", error.Message, StringComparison.Ordinal);
    }
}
