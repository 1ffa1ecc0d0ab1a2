namespace AnnotateDpo.Core.Tests.Persistence;

/// <summary>
/// A test against the PostgreSQL server that <c>ANNOTATEDPO_TEST_POSTGRES</c> names (.ci/run starts one).
/// Skipped on a developer machine without one; on CI a missing server fails the test instead of hiding it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "ANNOTATEDPO_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        var configured = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!configured && !onCi)
            Skip = $"Set {Variable} to a PostgreSQL connection string to run the PostgreSQL storage tests.";
    }
}
