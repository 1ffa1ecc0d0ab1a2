using System.Runtime.CompilerServices;

namespace AnnotateDpo.Web.Tests;

internal static class WaitDefaults
{
    /// <summary>
    /// bUnit waits 1 s for a render by default; pages that load from SQLite can take longer on a busy 2-core CI machine.
    /// A wait for the render, never a speed target.
    /// </summary>
    [ModuleInitializer]
    internal static void LongerRenderWaits() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
}
