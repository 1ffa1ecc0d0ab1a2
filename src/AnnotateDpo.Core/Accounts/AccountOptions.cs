using System.ComponentModel.DataAnnotations;

namespace AnnotateDpo.Core.Accounts;

/// <summary>The <c>Accounts</c> configuration section.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Failed sign-ins in a row before the account is locked. Default: 5.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default: 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Shortest password accepted. Default: 10.</summary>
    [Range(6, 128)]
    public int MinimumPasswordLength { get; set; } = 10;
}
