namespace AnnotateDpo.Web.Features.Annotate;

/// <summary>The resource key of the judging pages' text (AnnotateText.resx, AnnotateText.ja.resx).</summary>
public sealed class AnnotateText;
