using System.Text.Json;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>
/// How far a generation job in a child process has got, written by the CLI (<c>--progress FILE</c>) and read by the
/// web app that started it. <see cref="Done"/> of <see cref="Total"/> units (answers sampled); <see cref="Phase"/>
/// says what is happening ("loading", "generating", "saving", "done").
/// </summary>
public sealed record JobProgress(int Done, int Total, string Phase)
{
    public const string Loading = "loading";
    public const string Generating = "generating";
    public const string Saving = "saving";
    public const string Finished = "done";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Replaces the file through a temporary one, so a reader never sees half a record; no file, no record.</summary>
    public void Write(string? path)
    {
        if (path is null)
            return;
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last record written, or null while there is none.</summary>
    public static JobProgress? TryRead(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<JobProgress>(File.ReadAllText(path), Json);
        }
        catch (IOException)
        {
            // Replaced between the check and the read; the next poll sees the new one.
            return null;
        }
    }
}
