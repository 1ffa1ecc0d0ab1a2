using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace AnnotateDpo.Training.Runtime;

/// <summary>
/// Makes TorchSharp's native library loadable on systems whose libstdc++ is older than the one it was built against.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's libLibTorchSharp.so requires GLIBCXX_3.4.32 (Debian 12 ships 3.4.30) for one symbol,
/// <c>std::ios_base_library_init</c>, which nothing calls. Where that version is missing we copy the library to a
/// cache folder, mark the requirement weak, and hand the copy to TorchSharp through a DllImport resolver. libtorch
/// itself must come from the folder TorchSharp would load it from: a second libtorch aborts the process with
/// "Tried to register multiple backend fallbacks".
/// </remarks>
public static class TorchRuntime
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const string TorchSharpLibrary = "LibTorchSharp";
    private const string TorchSharpFile = "libLibTorchSharp.so";

    private static readonly Lazy<string?> Initialization = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Prepares the native libraries; call before any torch use. Idempotent and thread-safe.
    /// </summary>
    public static void EnsureInitialized() => _ = Initialization.Value;

    /// <summary>The patched copy of libLibTorchSharp.so in use, or null when the original loads as it is.</summary>
    public static string? PatchedLibraryPath => Initialization.Value;

    private static string? Initialize()
    {
        string? patched = null;
        if (OperatingSystem.IsLinux() && !LoadedLibStdCxxDefines(RequiredVersion))
        {
            var nativeFolder = FindTorchSharpNativeFolder();
            LoadLibTorchFrom(nativeFolder);
            patched = WritePatchedCopy(Path.Combine(nativeFolder, TorchSharpFile));
            var handle = NativeLibrary.Load(patched);
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) =>
                name == TorchSharpLibrary ? handle : IntPtr.Zero);
        }

        torch.InitializeDeviceType(DeviceType.CPU);
        return patched;
    }

    private static bool LoadedLibStdCxxDefines(string version)
    {
        // The runtime host links libstdc++, so the copy already mapped into this process is the one that counts.
        var path = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libstdc++.so", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault() ?? "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        return ElfVersionPatcher.ReadVersionDefinitions(File.ReadAllBytes(path)).Contains(version);
    }

    /// <summary>
    /// The first native search directory of this app (from its deps.json: the app folder, then
    /// runtimes/&lt;rid&gt;/native) that holds libLibTorchSharp.so — the folder TorchSharp's own DllImports use.
    /// </summary>
    private static string FindTorchSharpNativeFolder()
    {
        var searched = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory)
            .Append(Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "")
            .ToList();
        return searched.FirstOrDefault(folder => File.Exists(Path.Combine(folder, TorchSharpFile)))
            ?? throw new FileNotFoundException(
                $"{TorchSharpFile} was not found in any native search folder: {string.Join(", ", searched)}. " +
                "Is the TorchSharp-cpu (or TorchSharp-cuda-linux) package referenced?");
    }

    private static void LoadLibTorchFrom(string folder)
    {
        var gomp = Directory.GetFiles(folder, "libgomp*.so*").Order(StringComparer.Ordinal);
        var libraries = gomp.Concat(new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }
            .Select(name => Path.Combine(folder, name)));
        foreach (var library in libraries.Where(File.Exists))
            NativeLibrary.Load(library);
    }

    private static string WritePatchedCopy(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var folder = Path.Combine(CacheRoot(), "annotatedpo", "native", hash);
        var target = Path.Combine(folder, TorchSharpFile);
        if (File.Exists(target))
            return target;

        if (ElfVersionPatcher.MarkVersionNeedWeak(bytes, RequiredVersion) == 0)
            throw new InvalidOperationException(
                $"{original} does not need {RequiredVersion} in a way this patch can relax; the system libstdc++ is too old for it.");

        // Write beside the target and rename, so that concurrent processes never load a half-written file.
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $"{TorchSharpFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    private static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
    }
}
