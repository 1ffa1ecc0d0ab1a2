namespace AnnotateDpo.Training.Tests.Pretraining;

/// <summary>A small, repetitive bilingual maintenance corpus that a tiny model can learn in a few dozen steps.</summary>
internal static class TinyCorpus
{
    private static readonly string[] Parts = ["ポンプ", "バルブ", "モーター", "ベアリング", "pump", "valve", "motor", "bearing"];
    private static readonly string[] Checks = ["点検する", "交換する", "清掃する", "inspect", "replace", "clean"];

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var ja = new List<string>();
        var en = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var part = Parts[i % Parts.Length];
            var check = Checks[i % Checks.Length];
            ja.Add($"毎月{part}の状態を{check}。異音があれば記録する。");
            en.Add($"Every month, {check} the {part}. If there is noise, write it in the log.");
        }
        File.WriteAllText(Path.Combine(folder, "ja.txt"), string.Join("\n", ja));
        File.WriteAllText(Path.Combine(folder, "en.txt"), string.Join("\n", en));
        return folder;
    }
}
