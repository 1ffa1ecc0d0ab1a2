namespace AnnotateDpo.Web.Features.Review;

/// <summary>The resource key of the review page's text (ReviewText.resx, ReviewText.ja.resx).</summary>
public sealed class ReviewText;
