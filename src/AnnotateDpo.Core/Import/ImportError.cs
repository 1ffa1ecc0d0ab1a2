namespace AnnotateDpo.Core.Import;

/// <summary>One problem in one row: the file name, the 1-based line (CSV: the line the record starts on), the field.</summary>
public sealed record ImportError(string File, int Line, string Field, string Message)
{
    public override string ToString() => $"{File}: line {Line}: {Field}: {Message}";
}

/// <summary>Thrown when any row of an import is bad; nothing was written. Lists every bad row.</summary>
public sealed class ImportValidationException(IReadOnlyList<ImportError> errors) : Exception(Describe(errors))
{
    private const int ErrorsInMessage = 20;

    public IReadOnlyList<ImportError> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<ImportError> errors)
    {
        var shown = errors.Take(ErrorsInMessage).Select(e => e.ToString());
        var more = errors.Count > ErrorsInMessage ? [$"… and {errors.Count - ErrorsInMessage} more"] : Array.Empty<string>();
        return $"Nothing was imported: {errors.Count} problem(s) found." + Environment.NewLine +
               string.Join(Environment.NewLine, shown.Concat(more));
    }
}
