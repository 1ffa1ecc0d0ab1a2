namespace AnnotateDpo.Core.Accounts;

/// <summary>
/// The three roles. A Manager does everything an Annotator does; an Admin manages users and settings. Access checks
/// name the roles that may pass (<see cref="Annotating"/>, <see cref="Managing"/>), so no role is implied by another
/// at run time.
/// </summary>
public static class AppRoles
{
    public const string Annotator = "Annotator";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Annotator, Manager, Admin];

    /// <summary>For <c>[Authorize(Roles = …)]</c>: who may judge pairs and write SFT examples.</summary>
    public const string Annotating = Annotator + "," + Manager;

    /// <summary>For <c>[Authorize(Roles = …)]</c>: who may review, see coverage, make snapshots and train.</summary>
    public const string Managing = Manager;

    /// <summary>For <c>[Authorize(Roles = …)]</c>: who may manage users and settings.</summary>
    public const string Administering = Admin;
}
