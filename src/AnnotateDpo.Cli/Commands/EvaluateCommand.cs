using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Core.Evaluation;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo evaluate create|generate|report</c>: blind evaluations of two or more models. <c>generate</c> answers
/// every prompt with every model and stores the answers in one transaction at the end, so a cancelled run stores none.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate", "Evaluate models blind with the annotators: create an evaluation, generate its answers, print its results.");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(GenerateCommand());
        command.Subcommands.Add(ReportCommand());
        return command;
    }

    private static Option<long> EvaluationOption() => new("--evaluation") { Description = "The evaluation's id.", Required = true };

    private static Command CreateCommand()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var name = new Option<string>("--name") { Description = "A name for the evaluation.", Required = true };
        var models = new Option<string[]>("--model")
        {
            Description = "LABEL=FOLDER of a model to compare; give two or more.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var snapshot = new Option<long?>("--snapshot") { Description = "Snapshot whose eval prompts to use (default: the workspace's latest)." };
        var noHeldOut = new Option<bool>("--no-held-out") { Description = "Leave out the workspace's held-out evaluation prompts." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.7 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold.", DefaultValueFactory = _ => 0.9 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 1 };
        var author = new Option<string>("--author") { Description = "Who the evaluation is recorded as created by.", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("create", "Create an evaluation of two or more models on the snapshot's eval prompts and the held-out prompts; prints its id.")
        {
            db, workspace, name, models, snapshot, noHeldOut, maxNewTokens, temperature, topP, seed, author,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var entries = parse.GetValue(models)!.Select(ParseModel).ToList();
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var evaluation = await new EvaluationService(factory, TimeProvider.System).CreateAsync(new EvaluationRequest(
                parse.GetValue(workspace)!, parse.GetValue(name)!, entries, parse.GetValue(snapshot), !parse.GetValue(noHeldOut),
                parse.GetValue(maxNewTokens), parse.GetValue(temperature), parse.GetValue(topP), parse.GetValue(seed)), parse.GetValue(author)!, ct);
            Console.WriteLine($"evaluation {evaluation.Id}: {evaluation.Models.Count} models, {evaluation.Items.Count} prompts");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GenerateCommand()
    {
        var db = CliSupport.DatabaseOption();
        var evaluation = EvaluationOption();
        var progress = new Option<string?>("--progress") { Description = "A file to keep rewriting with the progress as JSON ({done, total, phase})." };
        var command = new Command("generate", "Answer every prompt of an evaluation with every model, with the evaluation's sampling settings.")
        {
            db, evaluation, progress,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var service = new EvaluationService(factory, TimeProvider.System);
            var found = await service.GetAsync(parse.GetValue(evaluation), ct);
            foreach (var model in found.Models)
                ModelFolder.LoadConfig(model.Path);
            var progressFile = parse.GetValue(progress);
            var total = found.Models.Count * found.Items.Count;
            new JobProgress(0, total, JobProgress.Loading).Write(progressFile);
            var settings = new SamplingSettings(found.Temperature, found.TopP, found.MaxNewTokens, found.Seed);

            var answers = new List<GeneratedAnswer>();
            foreach (var model in found.Models)
            {
                using var sampler = new AnswerSampler(model.Path);
                foreach (var item in found.Items)
                {
                    // The same seed per prompt for every model, so sampling noise is not what tells them apart.
                    var result = sampler.Answer(item.Prompt, settings, settings.Seed + item.Ordinal, ct);
                    answers.Add(new GeneratedAnswer(item.Id, model.Id, result.Text.Trim(), result.TokenIds.Count));
                    new JobProgress(answers.Count, total, JobProgress.Generating).Write(progressFile);
                }
                Console.WriteLine($"{model.Label}: {found.Items.Count} answers");
            }

            new JobProgress(total, total, JobProgress.Saving).Write(progressFile);
            await service.SaveAnswersAsync(found.Id, answers, ct);
            new JobProgress(total, total, JobProgress.Finished).Write(progressFile);
            Console.WriteLine($"evaluation {found.Id}: {answers.Count} answers stored; ready to judge");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ReportCommand()
    {
        var db = CliSupport.DatabaseOption();
        var evaluation = EvaluationOption();
        var command = new Command("report", "Print an evaluation's win / tie / loss per model pair with Wilson 95% intervals, and the automatic metrics.")
        {
            db, evaluation,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var service = new EvaluationService(factory, TimeProvider.System);
            var found = await service.GetAsync(parse.GetValue(evaluation), ct);
            var report = await service.ReportAsync(found.Id, ct);
            Console.WriteLine($"evaluation {found.Id} '{found.Name}': {report.Judgments} judged comparisons");
            foreach (var h in report.Overall)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{h.Model} vs {h.Opponent}: {h.Wins} wins / {h.Ties} ties / {h.Losses} losses, win rate {Share(h.WinRate)} [{h.WinInterval.Low:F2}, {h.WinInterval.High:F2}]"));
            }
            foreach (var rating in report.Ranking ?? [])
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {rating.Rank}: {rating.Model} strength {rating.Strength:F3}"));
            foreach (var m in report.Metrics)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Model}: mean length {m.MeanCharacters:F1} chars / {m.MeanTokens:F1} tokens, distinct-2 {m.Distinct2:F3}, eval SFT loss {m.EvalSftLoss:F4}, eval reward accuracy {m.EvalRewardAccuracy:F3}"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Share(double? value) => value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "–";

    private static ModelEntry ParseModel(string text)
    {
        var equals = text.IndexOf('=');
        return equals > 0 && equals < text.Length - 1
            ? new ModelEntry(text[..equals], text[(equals + 1)..])
            : throw new ArgumentException($"--model: '{text}' is not LABEL=FOLDER.");
    }
}
