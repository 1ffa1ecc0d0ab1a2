namespace AnnotateDpo.Web.Components.Layout;

/// <summary>The resource key of the app shell's text (LayoutText.resx, LayoutText.ja.resx).</summary>
public sealed class LayoutText;
