using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Objectives;

/// <summary>One SFT conversation; the loss falls on its assistant turns.</summary>
public sealed record SftSample(IReadOnlyList<ChatMessage> Messages);

/// <summary>
/// One preference pair: two assistant answers to the same prompt, the chosen one preferred. <paramref name="Key"/>
/// names the pair where it came from (the dataset's pair key), so a run's diagnostics can point back at it.
/// </summary>
public sealed record PreferenceSample(IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected, string? Key = null);
