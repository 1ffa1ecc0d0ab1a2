using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Objectives;

/// <summary>One SFT conversation; the loss falls on its assistant turns.</summary>
public sealed record SftSample(IReadOnlyList<ChatMessage> Messages);

/// <summary>One preference pair: two assistant answers to the same prompt, the chosen one preferred.</summary>
public sealed record PreferenceSample(IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected);
