namespace AnnotateDpo.Web.Features.Workspaces;

/// <summary>The resource key of the start page's text (WorkspacesText.resx, WorkspacesText.ja.resx).</summary>
public sealed class WorkspacesText;
