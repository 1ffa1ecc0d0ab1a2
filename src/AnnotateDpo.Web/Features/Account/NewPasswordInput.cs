using System.ComponentModel.DataAnnotations;

namespace AnnotateDpo.Web.Features.Account;

/// <summary>A user name with a new password typed twice (setup and invitations).</summary>
public sealed class NewPasswordInput
{
    [Required(ErrorMessage = "user name: required.")]
    [StringLength(64, ErrorMessage = "user name: at most 64 characters.")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "password: required.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "repeat: the two passwords differ.")]
    public string Confirm { get; set; } = "";
}
