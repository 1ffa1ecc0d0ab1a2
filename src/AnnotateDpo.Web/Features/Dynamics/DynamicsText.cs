namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>The marker type of the dynamics feature's UI texts (DynamicsText.resx, DynamicsText.ja.resx).</summary>
public sealed class DynamicsText;
