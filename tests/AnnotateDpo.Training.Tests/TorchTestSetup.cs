using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AnnotateDpo.Training.Runtime;

namespace AnnotateDpo.Training.Tests;

internal static class TorchTestSetup
{
    /// <summary>
    /// Tests run in parallel, and the first touch of any torch member runs TorchSharp's type initializer, which
    /// loads the native library (and caches its failure for the process). So the runtime is prepared when this
    /// assembly loads, before any test can touch torch.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Native setup must precede every test; xunit 2 has no assembly fixture.")]
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}
