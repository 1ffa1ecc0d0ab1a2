namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>The coverage dashboard's UI text: CoverageText.resx (English, keyed by the English text) and CoverageText.ja.resx.</summary>
public sealed class CoverageText;
