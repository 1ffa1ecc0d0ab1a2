namespace AnnotateDpo.Web.Features.Generate;

/// <summary>The resource key of the on-policy generation page's text (GenerateText.resx, GenerateText.ja.resx).</summary>
public sealed class GenerateText;
