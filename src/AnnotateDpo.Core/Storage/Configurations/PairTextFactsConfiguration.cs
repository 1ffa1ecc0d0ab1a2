using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class PairTextFactsConfiguration : IEntityTypeConfiguration<PairTextFacts>
{
    public void Configure(EntityTypeBuilder<PairTextFacts> builder)
    {
        builder.ToTable("PairTextFacts");
        // The pair leads the key: the report probes it for each of a workspace's pairs, and the cascade finds a pair's facts.
        builder.HasKey(f => new { f.PairId, f.Tokenizer });
        builder.Property(f => f.Tokenizer).HasMaxLength(200);
        // Everything the report reads of one tokenizer's facts, in pair order: the length bias walks it and looks up
        // each pair's summary by its integer key, instead of probing the key above with the long tokenizer name.
        builder.HasIndex(f => new { f.Tokenizer, f.PairId, f.CharactersA, f.CharactersB, f.TokensA, f.TokensB, f.EditDistance })
            .HasDatabaseName("IX_PairTextFacts_Report");
        builder.Ignore(f => f.NearIdentical);
        builder.HasOne<PreferencePair>().WithMany().HasForeignKey(f => f.PairId).OnDelete(DeleteBehavior.Cascade);
    }
}
