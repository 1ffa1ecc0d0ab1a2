using System.Globalization;

namespace AnnotateDpo.Training.Trainers;

/// <summary>A step's loss or gradient norm was NaN or infinite; the optimizer step was not taken.</summary>
public sealed class TrainingDivergedException(int step, double loss, double gradNorm, double learningRate)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"Training diverged at step {step}: loss {loss}, grad_norm {gradNorm} (learning rate {learningRate:0.###e+0}). ")
        + "Lower the learning rate, keep gradient clipping on, or check the model weights and the data for broken rows.")
{
    public int Step { get; } = step;
}
