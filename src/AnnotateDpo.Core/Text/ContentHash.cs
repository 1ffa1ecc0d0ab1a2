using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Text;

/// <summary>
/// SHA-256 (lower-case hex) of the normalised content of an SFT example or a preference pair: two rows that differ
/// only in Unicode compatibility forms or whitespace get the same hash, so duplicates are found whoever wrote them.
/// The canonical content is JSON (roles, texts), so no text can forge a boundary between fields, and a kind prefix
/// keeps an SFT example and a pair from ever sharing a hash.
/// </summary>
public static class ContentHash
{
    public static string ForSft(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Hash(new { kind = "sft", messages = Canonical(messages) });
    }

    /// <summary>Order-insensitive in the two responses: a pair with A and B swapped is the same pair.</summary>
    public static string ForPair(IReadOnlyList<ChatMessage> prompt, string responseA, string responseB)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var a = TextNormalizer.Normalize(responseA);
        var b = TextNormalizer.Normalize(responseB);
        var responses = string.CompareOrdinal(a, b) <= 0 ? new[] { a, b } : [b, a];
        return Hash(new { kind = "pair", prompt = Canonical(prompt), responses });
    }

    private static string[][] Canonical(IReadOnlyList<ChatMessage> messages) =>
        messages.Select(m => new[] { m.Role, TextNormalizer.Normalize(m.Content) }).ToArray();

    private static string Hash(object canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical)));
}
