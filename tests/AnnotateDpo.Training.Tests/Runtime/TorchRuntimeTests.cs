using AnnotateDpo.Training.Runtime;
using TorchSharp;

namespace AnnotateDpo.Training.Tests.Runtime;

public class TorchRuntimeTests
{
    private static string NativeTorchSharp =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void MarkVersionNeedWeak_OnCopyOfLibTorchSharp_FlipsOnlyTheWeakFlagOfThatVersion()
    {
        var original = File.ReadAllBytes(NativeTorchSharp);
        var copy = Path.Combine(Path.GetTempPath(), $"elfpatch-{Guid.NewGuid():N}.so");
        var bytes = original.ToArray();

        var changed = ElfVersionPatcher.MarkVersionNeedWeak(bytes, "GLIBCXX_3.4.32");
        File.WriteAllBytes(copy, bytes);
        var before = ElfVersionPatcher.ReadVersionNeeds(original);
        var after = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(copy));
        File.Delete(copy);

        Assert.Equal(1, changed);
        var target = Assert.Single(after, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", target.File);
        Assert.Equal(ElfVersionPatcher.VerFlagWeak, target.Flags & ElfVersionPatcher.VerFlagWeak);
        Assert.Equal(0, before.Single(n => n.Version == "GLIBCXX_3.4.32").Flags & ElfVersionPatcher.VerFlagWeak);
        Assert.Equal(before.Select(n => (n.Version, n.Flags | (n.Version == "GLIBCXX_3.4.32" ? 2 : 0))),
            after.Select(n => (n.Version, (int)n.Flags)));
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != bytes[i]).ToList();
        Assert.Equal([(int)target.AuxOffset + 4], differing);
    }

    [Fact]
    public void ReadVersionDefinitions_SystemLibStdCxx_ListsGlibcxxVersions()
    {
        var definitions = ElfVersionPatcher.ReadVersionDefinitions(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6"));

        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains("CXXABI_1.3", definitions);
    }

    [Fact]
    public void EnsureInitialized_ThenTensorOp_Computes()
    {
        TorchRuntime.EnsureInitialized();
        TorchRuntime.EnsureInitialized();

        using var ones = torch.ones(2, 2);
        using var sum = ones.sum();

        Assert.Equal(4f, sum.item<float>());
        var systemHasVersion = ElfVersionPatcher.ReadVersionDefinitions(
            File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")).Contains("GLIBCXX_3.4.32");
        Assert.Equal(!systemHasVersion, TorchRuntime.PatchedLibraryPath is not null);
    }
}
