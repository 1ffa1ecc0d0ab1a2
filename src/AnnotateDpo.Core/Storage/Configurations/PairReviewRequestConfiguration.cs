using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class PairReviewRequestConfiguration : IEntityTypeConfiguration<PairReviewRequest>
{
    public void Configure(EntityTypeBuilder<PairReviewRequest> builder)
    {
        builder.ToTable("PairReviewRequests");
        builder.Property(r => r.Reason).HasMaxLength(PairReviewRequest.ReasonMaxLength);
        builder.Property(r => r.Source).HasMaxLength(PairReviewRequest.SourceMaxLength);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.ClosedBy).HasMaxLength(256);
        builder.Ignore(r => r.IsOpen);
        builder.HasIndex(r => new { r.PairId, r.ClosedAt });
        builder.HasOne<PreferencePair>().WithMany().HasForeignKey(r => r.PairId).OnDelete(DeleteBehavior.Cascade);
    }
}
