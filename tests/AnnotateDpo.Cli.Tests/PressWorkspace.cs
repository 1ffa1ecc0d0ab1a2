namespace AnnotateDpo.Cli.Tests;

/// <summary>
/// The small Japanese and English workspace "press" the training tests import: SFT examples that ask about six parts
/// and pairs that prefer checking a part every month, written as JSONL files the <c>import</c> command reads.
/// </summary>
internal static class PressWorkspace
{
    public const string Name = "press";

    private static readonly string[] Parts = ["ポンプ", "バルブ", "pump", "valve", "bearing", "ベアリング"];

    /// <param name="distinct">Number each question, so that no two examples are the same (else six distinct ones repeat).</param>
    public static string SftFile(string folder, int count = 10, bool distinct = false) => Write(folder, "sft.jsonl", Enumerable.Range(0, count).Select(i =>
        $$"""{"messages":[{"role":"user","content":"{{Parts[i % 6]}}{{(distinct ? $" {i}" : "")}}は？"},{"role":"assistant","content":"毎月{{Parts[i % 6]}}を点検する。"}],"key":"s{{i}}"}"""));

    public static string PairsFile(string folder, int count = 10) => Write(folder, "pairs.jsonl", Enumerable.Range(0, count).Select(i =>
        $$"""{"prompt":"{{Parts[i % 6]}} {{i}}?","chosen":"Check the {{Parts[i % 6]}} every month.","rejected":"Ignore it.","key":"p{{i}}"}"""));

    /// <summary>Imports <paramref name="files"/> into the workspace of the database file <paramref name="db"/>.</summary>
    public static async Task ImportAsync(string db, params string[] files)
    {
        var import = await ModelCliFixture.RunAsync(["import", "--db", db, "--workspace", Name, .. files]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private static string Write(string folder, string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
