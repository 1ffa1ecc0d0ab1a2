using System.Globalization;
using AnnotateDpo.Web.Features.Generate;

namespace AnnotateDpo.Web.Features.Evaluate;

/// <summary>Starts and finds <c>annotatedpo evaluate generate</c> jobs, one kind per evaluation.</summary>
public sealed class EvaluationJobs(CliJobs jobs)
{
    public static string Kind(long evaluationId) => $"evaluation {evaluationId.ToString(CultureInfo.InvariantCulture)}";

    public CliJob? Latest(string workspace, long evaluationId) => jobs.Latest(workspace, Kind(evaluationId));

    /// <exception cref="InvalidOperationException">Answers for this evaluation are being generated already.</exception>
    public CliJob StartGenerating(string workspace, long evaluationId, string evaluationName, string user) =>
        jobs.Start(workspace, Kind(evaluationId), evaluationName, user,
            ["evaluate", "generate", "--evaluation", evaluationId.ToString(CultureInfo.InvariantCulture)]);
}
