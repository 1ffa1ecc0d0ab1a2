using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo candidates</c>: on-policy pairs. Samples k answers per prompt from a model, and imports every two
/// different answers of a prompt as a pair into the workspace's judging queue, marked with the model, run and
/// settings. Nothing is written until all prompts are answered, so Ctrl+C (or the web app's cancel) leaves no trace.
/// </summary>
internal static class CandidatesCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var model = ModelFolder.Option();
        var prompts = new Option<string>("--prompts") { Description = "Where the prompts come from: sft, pairs, category:NAME or file:PATH (one prompt per line).", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Use at most this many prompts (the first, in a stable order)." };
        var k = new Option<int>("--k") { Description = "Answers sampled per prompt, 2 to 4.", DefaultValueFactory = _ => 2 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature (more than 0: the samples must differ).", DefaultValueFactory = _ => 0.8 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold.", DefaultValueFactory = _ => 0.95 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 128 };
        var seed = new Option<long?>("--seed") { Description = "Seed of the first sample; each later one adds 1 (default: random, and printed)." };
        var author = new Option<string>("--author") { Description = "Who the pairs are recorded as created by.", DefaultValueFactory = _ => Environment.UserName };
        var progress = new Option<string?>("--progress") { Description = "A file to keep rewriting with the progress as JSON ({done, total, phase})." };
        var command = new Command("candidates", "Sample k answers per prompt from a model and queue the pairs for judging (on-policy pairs).")
        {
            db, workspace, model, prompts, limit, k, temperature, topP, maxNewTokens, seed, author, progress,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var samples = parse.GetValue(k);
            if (samples is < 2 or > 4)
                throw new ArgumentException($"--k: must be 2, 3 or 4, not {samples}.");
            if (!(parse.GetValue(temperature) > 0))
                throw new ArgumentException("--temperature: must be more than 0; greedy decoding gives the same answer every time.");
            var settings = new SamplingSettings(parse.GetValue(temperature), parse.GetValue(topP), parse.GetValue(maxNewTokens),
                parse.GetValue(seed) ?? Random.Shared.NextInt64(1, int.MaxValue));
            settings.Options(settings.Seed, []);
            var source = PromptSource.Parse(parse.GetValue(prompts)!);
            var folder = parse.GetValue(model)!;
            ModelFolder.LoadConfig(folder);
            var progressFile = parse.GetValue(progress);

            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var workspaceName = parse.GetValue(workspace)!;
            var selected = await CandidatePrompts.LoadAsync(factory, workspaceName, source, parse.GetValue(limit), ct);
            if (selected.Count == 0)
                throw new ArgumentException($"--prompts: {source} gives no prompts in workspace '{workspaceName}'.");
            var total = selected.Count * samples;
            new JobProgress(0, total, JobProgress.Loading).Write(progressFile);
            Console.WriteLine($"{selected.Count} prompts × {samples} samples from {folder} (seed {settings.Seed})");

            var answers = new List<SampledAnswers>();
            using (var sampler = new AnswerSampler(folder))
            {
                var done = 0;
                foreach (var prompt in selected)
                {
                    var texts = new List<string>();
                    for (var j = 0; j < samples; j++)
                    {
                        texts.Add(sampler.Answer(prompt.Prompt, settings, settings.Seed + done, ct).Text);
                        done++;
                        new JobProgress(done, total, JobProgress.Generating).Write(progressFile);
                    }
                    answers.Add(new SampledAnswers(prompt, texts));
                    Console.WriteLine($"prompt {answers.Count}/{selected.Count} ({prompt.Source}): {texts.Select(TextNormalizer.Normalize).Distinct().Count()} different of {samples}");
                }
            }

            new JobProgress(total, total, JobProgress.Saving).Write(progressFile);
            var recorded = AnswerSampler.RecordedName(folder);
            var description = string.Create(CultureInfo.InvariantCulture,
                $"temperature={settings.Temperature} top_p={settings.TopP} max_new_tokens={settings.MaxNewTokens} seed={settings.Seed} k={samples} prompts={source}");
            var result = await new OnPolicyPairService(factory, TimeProvider.System).ImportAsync(workspaceName, answers,
                new GenerationSource(recorded, ModelCatalog.RunOf(folder)?.Run, description.Length <= 400 ? description : description[..400]),
                parse.GetValue(author)!, ct);
            new JobProgress(total, total, JobProgress.Finished).Write(progressFile);
            Console.WriteLine($"batch {result.Batch}: {result.PairKeys.Count} pairs queued for judging; "
                + $"{result.IdenticalSamples} identical samples dropped, {result.PromptsWithoutPair} prompts without two different answers, "
                + $"{result.DuplicatePairs} pairs already in the workspace");
            return ExitCodes.Success;
        }));
        return command;
    }
}
