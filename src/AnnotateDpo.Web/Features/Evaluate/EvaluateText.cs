namespace AnnotateDpo.Web.Features.Evaluate;

/// <summary>The resource key of the evaluation pages' text (EvaluateText.resx, EvaluateText.ja.resx).</summary>
public sealed class EvaluateText;
