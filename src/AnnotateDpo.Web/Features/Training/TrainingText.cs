namespace AnnotateDpo.Web.Features.Training;

/// <summary>Marker for the training feature's UI text (TrainingText.resx, TrainingText.ja.resx).</summary>
public sealed class TrainingText;
