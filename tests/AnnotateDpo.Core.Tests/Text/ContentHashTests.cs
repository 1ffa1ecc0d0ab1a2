using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Text;

public class ContentHashTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRoles.User, "How do I bleed the hydraulic line?")];

    [Fact]
    public void ForSft_KnownConversation_IsLowerHexSha256()
    {
        var hash = ContentHash.ForSft([.. Prompt, new(ChatRoles.Assistant, "Open the valve.")]);

        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void ForSft_WhitespaceAndWidthVariants_HashAlike()
    {
        var plain = ContentHash.ForSft([new(ChatRoles.User, "Pump 1 leaks"), new(ChatRoles.Assistant, "Check the seal.")]);

        var variant = ContentHash.ForSft([new(ChatRoles.User, "  Pump　１ leaks\r\n"), new(ChatRoles.Assistant, "Check  the seal.")]);

        Assert.Equal(plain, variant);
    }

    [Fact]
    public void ForSft_DifferentRoleOrText_HashesDiffer()
    {
        var original = ContentHash.ForSft([new(ChatRoles.User, "a"), new(ChatRoles.Assistant, "b")]);

        var otherText = ContentHash.ForSft([new(ChatRoles.User, "a"), new(ChatRoles.Assistant, "c")]);
        var otherRole = ContentHash.ForSft([new(ChatRoles.System, "a"), new(ChatRoles.Assistant, "b")]);
        var movedBoundary = ContentHash.ForSft([new(ChatRoles.User, "a b"), new(ChatRoles.Assistant, "")]);

        Assert.Equal(4, new[] { original, otherText, otherRole, movedBoundary }.Distinct().Count());
    }

    [Fact]
    public void ForPair_SwappedResponses_HashAlike()
    {
        var ab = ContentHash.ForPair(Prompt, "Open the bleed valve first.", "Just unscrew it.");

        var ba = ContentHash.ForPair(Prompt, "Just unscrew  it.", "Open the bleed valve first.");

        Assert.Equal(ab, ba);
    }

    [Fact]
    public void ForPair_SameTextsAsSft_HashesDiffer()
    {
        var pair = ContentHash.ForPair(Prompt, "x", "y");

        var sft = ContentHash.ForSft([.. Prompt, new(ChatRoles.Assistant, "x")]);
        var otherPrompt = ContentHash.ForPair([new(ChatRoles.User, "Other?")], "x", "y");

        Assert.NotEqual(pair, sft);
        Assert.NotEqual(pair, otherPrompt);
    }
}
