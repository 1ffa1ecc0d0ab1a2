namespace AnnotateDpo.Web.Features.Browse;

/// <summary>The browse page's texts: BrowseText.resx (English) and BrowseText.ja.resx (Japanese).</summary>
public sealed class BrowseText;
