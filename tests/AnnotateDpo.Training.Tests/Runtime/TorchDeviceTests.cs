using AnnotateDpo.Training.Runtime;
using TorchSharp;

namespace AnnotateDpo.Training.Tests.Runtime;

public class TorchDeviceTests
{
    [Fact]
    public void Select_ForceCpu_ReturnsCpuFp32WithOneThreadPerCore()
    {
        var device = TorchDevice.Select(new TorchDeviceOptions { ForceCpu = true });

        Assert.Equal(DeviceType.CPU, device.Device.type);
        Assert.Equal(torch.ScalarType.Float32, device.TrainingDtype);
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
    }

    [Fact]
    public void Select_Default_MatchesCudaAvailability()
    {
        var device = TorchDevice.Select();

        Assert.Equal(torch.cuda.is_available(), device.IsCuda);
        Assert.Equal(device.IsCuda ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32, device.TrainingDtype);
    }
}
