using System.Globalization;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Training.Diagnostics;

/// <summary>
/// One setting of a new run's <c>config.json</c> to change, named by its JSON path (<c>preference_loss.rpo_alpha</c>),
/// with the value written as config.json writes it. <see cref="Apply"/> turns a remedy into the next run's config.
/// </summary>
public sealed record ConfigChange(string Setting, string Value)
{
    public const string Stages = "stages";
    public const string LossType = "preference_loss.loss_type";
    public const string Beta = "preference_loss.beta";
    public const string RpoAlpha = "preference_loss.rpo_alpha";
    public const string DpopLambda = "preference_loss.dpop_lambda";
    public const string SftEpochs = "sft.num_train_epochs";
    public const string SftMaxSteps = "sft.max_steps";
    public const string DpoEpochs = "dpo.num_train_epochs";
    public const string DpoMaxSteps = "dpo.max_steps";
    public const string SftLearningRate = "sft.learning_rate";
    public const string DpoLearningRate = "dpo.learning_rate";

    /// <summary>All settings a remedy may change.</summary>
    public static IReadOnlyList<string> Settings { get; } =
        [Stages, LossType, Beta, RpoAlpha, DpopLambda, SftEpochs, SftMaxSteps, DpoEpochs, DpoMaxSteps, SftLearningRate, DpoLearningRate];

    public static ConfigChange Set(string setting, double value) => new(setting, value.ToString("R", CultureInfo.InvariantCulture));

    public override string ToString() => $"{Setting} = {Value}";

    /// <summary>The config with this change made; throws <see cref="ArgumentException"/> naming an unknown setting or bad value.</summary>
    public TrainingRunConfig Apply(TrainingRunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Setting switch
        {
            Stages => config with { Stages = TrainingRunConfig.ParseStages(Value) },
            LossType => config with { Loss = config.Loss with { Type = PreferenceLoss.NameOf(PreferenceLoss.Parse(Value)) } },
            Beta => config with { Loss = config.Loss with { Beta = Number() } },
            RpoAlpha => config with { Loss = config.Loss with { RpoAlpha = Number() } },
            DpopLambda => config with { Loss = config.Loss with { DpopLambda = Number() } },
            // max_steps overrides epochs, so setting the epochs clears it.
            SftEpochs => config with { Sft = config.Sft with { Epochs = Number(), MaxSteps = null } },
            SftMaxSteps => config with { Sft = config.Sft with { MaxSteps = (int)Number() } },
            DpoEpochs => config with { Dpo = config.Dpo with { Epochs = Number(), MaxSteps = null } },
            DpoMaxSteps => config with { Dpo = config.Dpo with { MaxSteps = (int)Number() } },
            SftLearningRate => config with { Sft = config.Sft with { LearningRate = Number() } },
            DpoLearningRate => config with { Dpo = config.Dpo with { LearningRate = Number() } },
            _ => throw new ArgumentException($"Unknown setting '{Setting}'; remedies change: {string.Join(", ", Settings)}."),
        };
    }

    private double Number() =>
        double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"The value '{Value}' of {Setting} is not a number.");
}
