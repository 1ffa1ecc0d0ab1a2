using Microsoft.AspNetCore.Identity;

namespace AnnotateDpo.Core.Accounts;

/// <summary>A person who signs in. Their user name is the annotator id their judgments and examples carry.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>Set while the password is one an admin handed over; the first sign-in then asks for a new one.</summary>
    public bool MustChangePassword { get; set; }

    public DateTime CreatedAt { get; set; }
}
