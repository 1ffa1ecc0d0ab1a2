using System.Text.Json.Serialization;

namespace AnnotateDpo.Training.Objectives;

/// <summary>What an objective does with a sample longer than the model's context.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SequenceOverflow>))]
public enum SequenceOverflow
{
    /// <summary>Refuse to train, naming the first sample that is too long.</summary>
    [JsonStringEnumMemberName("reject")] Reject,

    /// <summary>Cut the sample to fit and count it (SFT keeps the start; DPO keeps the end of the prompt and the start of each answer).</summary>
    [JsonStringEnumMemberName("truncate")] Truncate,
}
