namespace AnnotateDpo.Core.Domain;

/// <summary>One model-building effort, e.g. "press line maintenance".</summary>
public sealed class Workspace
{
    public const int DefaultSftTarget = 50;
    public const int DefaultOverlapTarget = 2;

    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>BCP-47 language of the workspace's texts ("ja", "en").</summary>
    public string Language { get; set; } = "en";
    /// <summary>Annotator guidelines in Markdown, written by a manager.</summary>
    public string Guidelines { get; set; } = "";
    /// <summary>How many annotators should judge each pair.</summary>
    public int OverlapTarget { get; set; } = DefaultOverlapTarget;
    public DateTime CreatedAt { get; set; }

    public List<Category> Categories { get; set; } = [];
}

/// <summary>A topic the workspace wants covered, with its targets.</summary>
public sealed class Category
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public int SftTarget { get; set; }
    public int PairTarget { get; set; }
    /// <summary>Markdown a manager writes to start an SFT example of this category (the first user turn); empty for none.</summary>
    public string StarterPrompt { get; set; } = "";
}
