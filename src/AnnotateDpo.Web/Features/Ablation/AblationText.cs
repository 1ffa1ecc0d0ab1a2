namespace AnnotateDpo.Web.Features.Ablation;

/// <summary>The marker type of the ablation feature's UI texts (AblationText.resx, AblationText.ja.resx).</summary>
public sealed class AblationText;
