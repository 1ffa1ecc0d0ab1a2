using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class SftExampleConfiguration : IEntityTypeConfiguration<SftExample>
{
    public void Configure(EntityTypeBuilder<SftExample> builder)
    {
        builder.Property(e => e.Key).HasMaxLength(200);
        builder.Property(e => e.AuthorId).HasMaxLength(200);
        builder.Property(e => e.ContentHash).HasMaxLength(64);
        builder.Property(e => e.ReviewedBy).HasMaxLength(200);
        // Updates are conditional on the status read, so two managers (or a manager and the author) deciding at once
        // cannot both win: the second save fails instead of overwriting.
        builder.Property(e => e.Status).IsConcurrencyToken();
        // The review queue and each author's own list.
        builder.HasIndex(e => new { e.WorkspaceId, e.Status, e.UpdatedAt });
        builder.HasIndex(e => new { e.WorkspaceId, e.AuthorId, e.UpdatedAt });
        builder.HasIndex(e => new { e.WorkspaceId, e.Key }).IsUnique();
        builder.HasIndex(e => new { e.WorkspaceId, e.ContentHash });
        // Coverage counts SFT examples per category and status.
        builder.HasIndex(e => new { e.WorkspaceId, e.CategoryId, e.Status });
        // Browsing sorts and filters by date and author.
        builder.HasIndex(e => new { e.WorkspaceId, e.CreatedAt });
        builder.HasIndex(e => new { e.WorkspaceId, e.AuthorId });
        SearchColumns.Configure(builder);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Category).WithMany().HasForeignKey(e => e.CategoryId).OnDelete(DeleteBehavior.SetNull);
    }
}
