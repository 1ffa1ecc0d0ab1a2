namespace AnnotateDpo.Web.Features.Account;

/// <summary>The resource key of the account pages' text (AccountText.resx, AccountText.ja.resx).</summary>
public sealed class AccountText;
