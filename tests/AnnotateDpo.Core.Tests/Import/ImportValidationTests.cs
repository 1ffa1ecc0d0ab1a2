using AnnotateDpo.Core.Import;

namespace AnnotateDpo.Core.Tests.Import;

public class ImportValidationTests
{
    private const string H = FullFormatSamples.Header;
    private const string Sft = FullFormatSamples.SftLine;
    private const string Pair = FullFormatSamples.PairLine;

    /// <summary>One bad row each: file name, content, then the line, field and a part of the message expected.</summary>
    public static TheoryData<string, string, int, string, string> BadRows => new()
    {
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"x\",", 1, "json", "invalid JSON" },
        { "t.jsonl", "[1,2]", 1, "json", "one JSON object per line" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"x\"}", 1, "rejected", "missing required field" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"completion\":null,\"messages\":null}", 1, "row", "expected messages, prompt + completion" },
        { "t.jsonl", "{\"prompt\":42,\"chosen\":\"x\",\"rejected\":\"y\"}", 1, "prompt", "wrong type: expected a string or a list of messages" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"x\",\"rejected\":\"y\",\"tags\":\"a\"}", 1, "tags", "wrong type: expected a list, found a string" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":5},{\"role\":\"assistant\",\"content\":\"A\"}]}", 1, "messages[0].content", "wrong type: expected a string, found a number" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", 1, "messages[0].content", "missing required field" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"  \",\"rejected\":\"y\"}", 1, "chosen", "empty text" },
        { "t.jsonl", "{\"prompt\":\"\\n\",\"completion\":\"A\"}", 1, "prompt", "empty text" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"robot\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", 1, "messages[0].role", "unknown role 'robot'" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", 1, "messages[1].role", "a system message must come first" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"},{\"role\":\"user\",\"content\":\"Q2\"}]}", 1, "messages", "the last message must be the assistant's answer" },
        { "t.jsonl", "{\"messages\":[{\"role\":\"assistant\",\"content\":\"A\"}]}", 1, "messages[0].role", "must start with a user message" },
        { "t.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"}],\"chosen\":\"x\",\"rejected\":\"y\"}", 1, "prompt", "the prompt must end with a user message" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":[{\"role\":\"assistant\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"x2\"}],\"rejected\":\"y\"}", 1, "chosen", "exactly one assistant message" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"Same  answer\",\"rejected\":\"Same answer\"}", 1, "rejected", "the same text as chosen" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\",\"label\":true}", 1, "label", "KTO" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\",\"id\":\" \"}", 1, "id", "empty" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\",\"category\":\"" + new string('c', 201) + "\"}", 1, "category", "longer than 200" },
        { "t.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\",\"id\":\"x\"}\n{\"prompt\":\"Q2\",\"completion\":\"A2\",\"id\":\"x\"}", 2, "id", "duplicate id 'x' (first at line 1)" },
        { "f.annotatedpo.jsonl", Sft, 1, "type", "the first line must be the workspace line" },
        { "f.annotatedpo.jsonl", H + "\n" + H, 2, "type", "a second workspace line" },
        { "f.annotatedpo.jsonl", H + "\n{\"type\":\"note\"}", 2, "type", "unknown type 'note'" },
        { "f.annotatedpo.jsonl", H.Replace("\"overlapTarget\":2", "\"overlapTarget\":0"), 1, "overlapTarget", "at least 1" },
        { "f.annotatedpo.jsonl", H.Replace("\"sftTarget\":1", "\"sftTarget\":1.5"), 1, "categories[0].sftTarget", "wrong type: expected a whole number" },
        { "f.annotatedpo.jsonl", H + "\n" + Sft.Replace("\"approved\"", "\"done\""), 2, "status", "unknown value 'done'; expected draft, submitted, approved, rejected" },
        { "f.annotatedpo.jsonl", H + "\n" + Sft.Replace(",\"status\":\"approved\"", ""), 2, "status", "missing required field" },
        { "f.annotatedpo.jsonl", H + "\n" + Sft.Replace("\"hydraulics\"", "\"pneumatics\""), 2, "category", "unknown category 'pneumatics'; the workspace line and the workspace define: hydraulics" },
        { "f.annotatedpo.jsonl", H + "\n" + Sft.Replace("2026-10-01T09:00:00Z\",\"updatedAt", "yesterday\",\"updatedAt"), 2, "createdAt", "not an ISO 8601 timestamp" },
        { "f.annotatedpo.jsonl", H + "\n" + Sft + "\n" + Sft.Replace("\"Q\"", "\"Q2\""), 3, "id", "duplicate id 'sft-1' (first at line 2)" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"verdict\":\"a\"", "\"verdict\":\"c\""), 2, "judgments[0].verdict", "unknown value 'c'; expected a, b, tie, both_bad" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"strength\":\"clear\"", "\"strength\":\"huge\""), 2, "judgments[0].strength", "unknown value 'huge'" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"shownOrder\":\"ab\"", "\"shownOrder\":\"left\""), 2, "judgments[0].shownOrder", "expected ab, ba" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("{\"text\":\"x\",\"origin\":\"human\"}", "{\"text\":\"x\",\"origin\":\"ai\"}"), 2, "responseA.origin", "expected human, model, edited" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"verdict\":\"a\"", "\"verdict\":\"tie\""), 2, "judgments[0].strength", "must be null for the verdict 'tie'" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"verdict\":\"a\"", "\"verdict\":\"both_bad\""), 2, "judgments[0].strength", "must be null for the verdict 'both_bad'" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"secondsSpent\":1", "\"secondsSpent\":-1"), 2, "judgments[0].secondsSpent", "must not be negative" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"isFinal\":false", "\"isFinal\":\"no\""), 2, "judgments[0].isFinal", "expected true or false" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"id\":\"j-1\",", ""), 2, "judgments[0].id", "missing required field" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"judgments\":[{", "\"judgments\":[{\"id\":\"j-1\",\"annotatorId\":\"b\",\"verdict\":\"b\"},{"), 2, "judgments[1].id", "the judgment id 'j-1' appears twice" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"annotatorId\":\"a\",", ""), 2, "judgments[0].annotatorId", "missing required field" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("{\"text\":\"x\",\"origin\":\"human\"}", "{\"text\":\"x\",\"origin\":\"edited\",\"editedFromPairId\":\"pair-404\"}"), 2, "responseA.editedFromPairId", "names no pair in the files or the workspace: 'pair-404'" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("{\"text\":\"x\",\"origin\":\"human\"}", "{\"text\":\"x\",\"origin\":\"model\",\"editedFromPairId\":\"pair-1\"}"), 2, "responseA.editedFromPairId", "origin is not 'edited'" },
        { "f.annotatedpo.jsonl", H + "\n" + Pair.Replace("\"responseB\":{\"text\":\"y\",\"origin\":\"human\"},", ""), 2, "responseB", "missing required field" },
        { "s.csv", "prompt,category\nQ,c\n", 1, "header", "expected the SFT columns prompt,response" },
        { "s.csv", "system,response\nS,A\n", 1, "prompt", "missing required column" },
        { "s.csv", "prompt,response,colour\nQ,A,red\n", 1, "colour", "unknown column" },
        { "s.csv", "prompt,response,prompt\nQ,A,Q\n", 1, "prompt", "the column appears more than once" },
        { "s.csv", "prompt,response\n,A\n", 2, "prompt", "empty text" },
        { "s.csv", "", 1, "header", "the file is empty" },
        { "p.csv", "id,prompt,chosen,rejected\np,Q,x,y\np,Q2,x,y\n", 3, "id", "duplicate id 'p' (first at line 2)" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task ImportAsync_BadRow_ReportsLineFieldAndMessage(string fileName, string content, int line, string field, string message)
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile(fileName, content);

        var errors = await db.ImportErrorsAsync("w", null, file);

        var error = Assert.Single(errors);
        Assert.Equal((fileName, line, field), (error.File, error.Line, error.Field));
        Assert.Contains(message, error.Message);
        Assert.Equal(new RowCounts(0, 0, 0, 0, 0), await db.CountsAsync());
    }

    [Fact]
    public async Task ImportAsync_SeveralBadRowsInSeveralFiles_ReportsEveryOneInFileOrder()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var first = db.WriteFile("a.jsonl", """
            {"prompt":"Q1","completion":"A1"}
            {"prompt":"Q2","completion":""}
            {"prompt":"Q3","completion":"A3"}
            {"prompt":"Q4"
            """);
        var second = db.WriteFile("b.csv", "prompt,response\nQ5,\nQ6,A6\n");

        var exception = await Assert.ThrowsAsync<ImportValidationException>(() => db.ImportAsync("w", null, first, second));

        Assert.Equal(
            ["a.jsonl: line 2: completion: empty text", "a.jsonl: line 4: json", "b.csv: line 2: response: empty text"],
            exception.Errors.Select(e => e.ToString().StartsWith("a.jsonl: line 4: json", StringComparison.Ordinal) ? "a.jsonl: line 4: json" : e.ToString()));
        Assert.Contains("3 problem(s)", exception.Message);
        Assert.Contains("b.csv: line 2: response: empty text", exception.Message);
    }

    [Fact]
    public async Task ImportAsync_MissingFile_ThrowsBeforeWriting()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var good = db.WriteFile("good.jsonl", """{"prompt":"Q","completion":"A"}""");

        await Assert.ThrowsAsync<FileNotFoundException>(() => db.ImportAsync("w", null, good, Path.Combine(db.Folder, "missing.jsonl")));

        Assert.Equal(new RowCounts(0, 0, 0, 0, 0), await db.CountsAsync());
    }

    [Fact]
    public async Task ImportAsync_InvalidUtf8_ReportsEncoding()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = Path.Combine(db.Folder, "latin1.csv");
        await File.WriteAllBytesAsync(file, [.. "prompt,response\nQ,caf"u8, 0xE9, .. "\n"u8]);

        var errors = await db.ImportErrorsAsync("w", null, file);

        Assert.Equal("encoding", Assert.Single(errors).Field);
    }
}
