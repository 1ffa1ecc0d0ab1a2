using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class PreferencePairConfiguration : IEntityTypeConfiguration<PreferencePair>
{
    public void Configure(EntityTypeBuilder<PreferencePair> builder)
    {
        builder.Property(p => p.Key).HasMaxLength(200);
        builder.Property(p => p.AuthorId).HasMaxLength(200);
        builder.Property(p => p.ContentHash).HasMaxLength(64);
        builder.ComplexProperty(p => p.ResponseA, ConfigureResponse);
        builder.ComplexProperty(p => p.ResponseB, ConfigureResponse);
        builder.HasIndex(p => new { p.WorkspaceId, p.Key }).IsUnique();
        builder.HasIndex(p => new { p.WorkspaceId, p.ContentHash });
        builder.HasIndex(p => new { p.WorkspaceId, p.CategoryId });
        // Browsing sorts and filters by date and author.
        builder.HasIndex(p => new { p.WorkspaceId, p.CreatedAt });
        builder.HasIndex(p => new { p.WorkspaceId, p.AuthorId });
        SearchColumns.Configure(builder);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.Category).WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(p => p.Judgments).WithOne().HasForeignKey(j => j.PairId).OnDelete(DeleteBehavior.Cascade);
    }

    private static void ConfigureResponse(ComplexPropertyBuilder<PairResponse> response)
    {
        response.Property(r => r.Model).HasMaxLength(200);
        response.Property(r => r.Run).HasMaxLength(200);
        response.Property(r => r.Settings).HasMaxLength(400);
        response.Property(r => r.EditedFromPairKey).HasMaxLength(200);
    }
}

internal sealed class JudgmentConfiguration : IEntityTypeConfiguration<Judgment>
{
    public void Configure(EntityTypeBuilder<Judgment> builder)
    {
        builder.Property(j => j.Key).HasMaxLength(200);
        builder.Property(j => j.AnnotatorId).HasMaxLength(200);
        builder.HasIndex(j => new { j.PairId, j.Key }).IsUnique();
        // "Latest judgment of each annotator on each pair" groups by (PairId, AnnotatorId, IsFinal) and takes the largest
        // Id: in this index's order and from the index alone, without a sort or a read of the table's rows.
        builder.HasIndex(j => new { j.PairId, j.AnnotatorId, j.IsFinal, j.Id });
        // Progress per annotator and day.
        builder.HasIndex(j => new { j.AnnotatorId, j.CreatedAt });
        // The medians of time spent read exact times only in the few tenths of a second holding their middle ranks:
        // a short range of this index, which holds all they read of each judgment.
        builder.HasIndex(j => new { j.SecondsSpent, j.AnnotatorId, j.IsFinal, j.PairId }).HasDatabaseName("IX_Judgments_Pace");
        builder.HasOne<Judgment>().WithMany().HasForeignKey(j => j.SupersedesId).OnDelete(DeleteBehavior.Restrict);
    }
}
