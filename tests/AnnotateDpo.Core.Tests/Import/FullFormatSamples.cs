namespace AnnotateDpo.Core.Tests.Import;

/// <summary>
/// A full-fidelity file in exactly the form the exporter writes (field order, key order, timestamps), so that an
/// import followed by an export must give back the same bytes. It uses every field: statuses, review comments,
/// origins, a judgment history with a changed verdict, a manager's final verdict, ties.
/// </summary>
internal static class FullFormatSamples
{
    public const string Workspace = "プレス設備保全";

    public const string Canonical = """
        {"type":"workspace","name":"プレス設備保全","language":"ja","overlapTarget":3,"guidelines":"# 指針\nTwo lines, \"quoted\".","categories":[{"name":"hydraulics","description":"油圧系","sftTarget":30,"pairTarget":40},{"name":"safety","description":"","sftTarget":5,"pairTarget":0}]}
        {"type":"sft","id":"sft-0001","category":"hydraulics","tags":["press","leak"],"status":"approved","authorId":"tanaka","reviewComment":null,"messages":[{"role":"system","content":"保全担当として答える。"},{"role":"user","content":"油が漏れている。"},{"role":"assistant","content":"まずロックアウト。\n次にシールを確認。"}],"createdAt":"2026-10-01T09:00:00Z","updatedAt":"2026-10-02T10:30:00.25Z"}
        {"type":"sft","id":"sft-0002","category":null,"tags":[],"status":"rejected","authorId":"suzuki","reviewComment":"Too vague; name the valve.","messages":[{"role":"user","content":"Q?"},{"role":"assistant","content":"Check it."},{"role":"user","content":"Which one?"},{"role":"assistant","content":"The bleed valve."}],"createdAt":"2026-10-01T09:05:00Z","updatedAt":"2026-10-01T09:05:00Z"}
        {"type":"sft","id":"sft-0003","category":"safety","tags":["loto"],"status":"draft","authorId":"sato","reviewComment":null,"messages":[{"role":"user","content":"When to lock out?"},{"role":"assistant","content":"Always before opening a guard."}],"createdAt":"2026-10-01T09:06:00Z","updatedAt":"2026-10-01T09:06:00Z"}
        {"type":"pair","id":"pair-0001","category":"hydraulics","tags":["press"],"prompt":[{"role":"user","content":"圧力が下がる。原因は？"}],"responseA":{"text":"ポンプの摩耗かリリーフ弁の固着。","origin":"human","model":null,"run":null,"editedFromPairId":null},"responseB":{"text":"わからない。","origin":"model","model":"SmolLM2-135M-Instruct","run":"run-3","editedFromPairId":null},"authorId":"suzuki","createdAt":"2026-10-02T10:00:00Z","judgments":[{"id":"j-1","annotatorId":"tanaka","verdict":"b","strength":"slight","rationale":"first look","shownOrder":"ba","secondsSpent":12,"createdAt":"2026-10-03T08:00:00Z","isFinal":false},{"id":"j-2","annotatorId":"suzuki","verdict":"a","strength":"strong","rationale":null,"shownOrder":"ab","secondsSpent":42.5,"createdAt":"2026-10-03T08:01:00Z","isFinal":false},{"id":"j-3","annotatorId":"tanaka","verdict":"a","strength":"clear","rationale":"changed my mind","shownOrder":"ab","secondsSpent":30.25,"createdAt":"2026-10-03T09:00:00.5Z","isFinal":false}]}
        {"type":"pair","id":"pair-0002","category":"safety","tags":[],"prompt":[{"role":"system","content":"Be safe."},{"role":"user","content":"Can I skip lockout?"}],"responseA":{"text":"No.","origin":"edited","model":null,"run":null,"editedFromPairId":"pair-0001"},"responseB":{"text":"Yes, if quick.","origin":"model","model":"tiny","run":null,"editedFromPairId":null},"authorId":"import","createdAt":"2026-10-02T11:00:00Z","judgments":[{"id":"j-1","annotatorId":"tanaka","verdict":"tie","strength":null,"rationale":null,"shownOrder":"ab","secondsSpent":5,"createdAt":"2026-10-03T08:00:00Z","isFinal":false},{"id":"j-2","annotatorId":"suzuki","verdict":"b","strength":"clear","rationale":null,"shownOrder":"ab","secondsSpent":6,"createdAt":"2026-10-03T08:10:00Z","isFinal":false},{"id":"final","annotatorId":"manager","verdict":"a","strength":"strong","rationale":"Lockout is mandatory.","shownOrder":"ab","secondsSpent":0,"createdAt":"2026-10-04T08:00:00Z","isFinal":true}]}
        {"type":"pair","id":"pair-0003","category":null,"tags":[],"prompt":[{"role":"user","content":"Both bad?"}],"responseA":{"text":"x","origin":"human","model":null,"run":null,"editedFromPairId":null},"responseB":{"text":"y","origin":"human","model":null,"run":null,"editedFromPairId":null},"authorId":"sato","createdAt":"2026-10-02T12:00:00Z","judgments":[{"id":"j-1","annotatorId":"tanaka","verdict":"both_bad","strength":null,"rationale":null,"shownOrder":"ab","secondsSpent":1,"createdAt":"2026-10-03T08:00:00Z","isFinal":false}]}

        """;

    /// <summary>The workspace line, for files that only need a valid start.</summary>
    public const string Header = """{"type":"workspace","name":"w","language":"en","overlapTarget":2,"guidelines":"","categories":[{"name":"hydraulics","description":"","sftTarget":1,"pairTarget":1}]}""";

    public const string SftLine = """{"type":"sft","id":"sft-1","category":"hydraulics","tags":[],"status":"approved","authorId":"a","reviewComment":null,"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}],"createdAt":"2026-10-01T09:00:00Z","updatedAt":"2026-10-01T09:00:00Z"}""";

    public const string PairLine = """{"type":"pair","id":"pair-1","category":"hydraulics","tags":[],"prompt":[{"role":"user","content":"Q"}],"responseA":{"text":"x","origin":"human"},"responseB":{"text":"y","origin":"human"},"authorId":"a","createdAt":"2026-10-01T09:00:00Z","judgments":[{"id":"j-1","annotatorId":"a","verdict":"a","strength":"clear","shownOrder":"ab","secondsSpent":1,"createdAt":"2026-10-01T09:00:00Z","isFinal":false}]}""";
}
