namespace AnnotateDpo.Web.Features.Sft;

/// <summary>The resource key of the SFT pages' text (SftText.resx, SftText.ja.resx).</summary>
public sealed class SftText;
