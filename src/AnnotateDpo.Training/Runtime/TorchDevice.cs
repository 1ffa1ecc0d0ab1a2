using TorchSharp;

namespace AnnotateDpo.Training.Runtime;

/// <summary>Where training and inference run; the configuration section that can force the CPU.</summary>
public sealed class TorchDeviceOptions
{
    public const string SectionName = "Training:Device";

    /// <summary>Use the CPU even when CUDA is available. Default: false.</summary>
    public bool ForceCpu { get; set; }
}

/// <summary>
/// The one place that picks the device: CUDA when available (bf16 training), else the CPU with one torch thread
/// per core (fp32 training, since bf16 matmuls on CPU are slow and lose precision in the optimizer).
/// </summary>
public sealed record TorchDevice(torch.Device Device, torch.ScalarType TrainingDtype)
{
    public bool IsCuda => Device.type == DeviceType.CUDA;

    public static TorchDevice Select(TorchDeviceOptions? options = null)
    {
        TorchRuntime.EnsureInitialized();
        if (options?.ForceCpu != true && torch.cuda.is_available())
            return new TorchDevice(torch.CUDA, torch.ScalarType.BFloat16);

        torch.set_num_threads(Environment.ProcessorCount);
        return new TorchDevice(torch.CPU, torch.ScalarType.Float32);
    }

    public override string ToString() => $"{Device.type} ({TrainingDtype})";
}
