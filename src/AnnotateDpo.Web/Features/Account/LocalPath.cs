namespace AnnotateDpo.Web.Features.Account;

public static class LocalPath
{
    /// <summary>The return address if it stays on this site, else the start page: no open redirect after sign-in.</summary>
    public static string OrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
