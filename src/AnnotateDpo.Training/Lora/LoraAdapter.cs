using System.Reflection;
using Module = TorchSharp.torch.nn.Module;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Lora;

/// <summary>
/// LoRA adapters injected into a model: the chosen Linear projections are replaced in place by
/// <see cref="LoraLinear"/> (so <c>named_parameters()</c> shows <c>…q_proj.base_layer.weight</c>,
/// <c>…q_proj.lora_A.weight</c>, <c>…q_proj.lora_B.weight</c>), every base parameter is frozen, and the adapters can be
/// switched off — the base model is then the DPO reference, without a second copy.
/// Saved and loaded in PEFT's layout (<c>adapter_config.json</c>, <c>adapter_model.safetensors</c>).
/// </summary>
public sealed class LoraAdapter
{
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>PEFT's prefix of every key in an adapter file of a causal LM.</summary>
    public const string PeftKeyPrefix = "base_model.model.";

    private readonly CausalLM model;
    private readonly Dictionary<string, LoraLinear> layers;
    private bool enabled = true;
    private bool unloaded;

    private LoraAdapter(CausalLM model, LoraConfig config, Dictionary<string, LoraLinear> layers)
    {
        this.model = model;
        Config = config;
        this.layers = layers;
    }

    public LoraConfig Config { get; }

    /// <summary>The wrapped projections by module path (<c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IReadOnlyDictionary<string, LoraLinear> Layers => layers;

    /// <summary>Whether the adapters take part in the forward pass. Off: the model computes exactly its base.</summary>
    public bool Enabled
    {
        get => enabled;
        set
        {
            ThrowIfUnloaded();
            if (!value && IsMerged)
                throw new InvalidOperationException("The adapters are merged into the base weights; unmerge them before switching them off.");
            enabled = value;
            foreach (var layer in layers.Values)
                layer.Enabled = value;
        }
    }

    public bool IsMerged => layers.Values.Any(layer => layer.Merged);

    /// <summary>Switches the adapters off until the returned scope is disposed, e.g. for the reference log-probs of DPO.</summary>
    public IDisposable Disable()
    {
        var previous = Enabled;
        Enabled = false;
        return new Restore(() => Enabled = previous);
    }

    /// <summary>The A and B matrices by their name in the model, the only parameters that require grad.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedTrainableParameters() =>
        layers.SelectMany(pair => new[]
        {
            ($"{pair.Key}.lora_A.weight", pair.Value.LoraA),
            ($"{pair.Key}.lora_B.weight", pair.Value.LoraB),
        });

    public IEnumerable<Parameter> TrainableParameters() => NamedTrainableParameters().Select(p => p.Parameter);

    /// <summary>
    /// Wraps every Linear whose name (last path segment) is in <see cref="LoraConfig.TargetModules"/> and freezes all
    /// base parameters.
    /// </summary>
    /// <param name="adapterDtype">dtype of A and B; default: each base weight's (pass Float32 to train on a bfloat16 base).</param>
    public static LoraAdapter Apply(CausalLM model, LoraConfig config, ScalarType? adapterDtype = null)
    {
        config.Validate();
        if (model.named_modules().Any(m => m.module is LoraLinear))
            throw new InvalidOperationException("The model already has LoRA adapters.");

        var targets = model.named_modules()
            .Where(m => m.module is Linear && config.TargetModules.Contains(LastSegment(m.name)))
            .Select(m => (Path: m.name, Linear: (Linear)m.module))
            .ToList();
        if (targets.Count == 0)
        {
            var linears = model.named_modules().Where(m => m.module is Linear).Select(m => LastSegment(m.name)).Distinct();
            throw new ArgumentException(
                $"No Linear module matches target_modules [{string.Join(", ", config.TargetModules)}]; " +
                $"this model's are [{string.Join(", ", linears)}].", nameof(config));
        }

        foreach (var parameter in model.parameters())
            parameter.requires_grad = false;

        var layers = new Dictionary<string, LoraLinear>(StringComparer.Ordinal);
        foreach (var (path, linear) in targets)
        {
            var lora = new LoraLinear(linear, config.Rank, config.Scale, config.Dropout, adapterDtype);
            ReplaceChild(model, path, lora);
            layers.Add(path, lora);
        }
        SetMode(model);
        return new LoraAdapter(model, config, layers);
    }

    /// <summary>Folds every adapter into its base weight; the forward pass then skips the adapters.</summary>
    public void Merge()
    {
        ThrowIfUnloaded();
        foreach (var layer in layers.Values)
            layer.Merge();
    }

    public void Unmerge()
    {
        ThrowIfUnloaded();
        foreach (var layer in layers.Values)
            layer.Unmerge();
    }

    /// <summary>
    /// Merges the adapters and puts the base Linear modules back, so the model has its original parameter names
    /// again (for <c>HfModelSaver</c>). The adapter is unusable afterwards; base parameters stay frozen.
    /// </summary>
    public void MergeAndUnload()
    {
        ThrowIfUnloaded();
        if (!enabled)
            throw new InvalidOperationException("The adapters are switched off; switch them on before merging them in.");
        foreach (var (path, layer) in layers)
        {
            layer.Merge();
            ReplaceChild(model, path, layer.BaseLayer);
            layer.LoraA.DetachFromDisposeScope().Dispose();
            layer.LoraB.DetachFromDisposeScope().Dispose();
        }
        unloaded = true;
    }

    /// <summary>
    /// Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> in PEFT's layout; the weights file is
    /// written first and atomically, and the config last, so a folder with a config is complete.
    /// </summary>
    public void Save(string folder, string? baseModelNameOrPath = null)
    {
        ThrowIfUnloaded();
        Directory.CreateDirectory(folder);
        SafeTensorsFile.Write(
            Path.Combine(folder, WeightsFileName),
            layers.SelectMany(pair => new KeyValuePair<string, Tensor>[]
            {
                new(PeftKey(pair.Key, "lora_A"), pair.Value.LoraA),
                new(PeftKey(pair.Key, "lora_B"), pair.Value.LoraB),
            }));

        var config = Config with
        {
            BaseModelNameOrPath = baseModelNameOrPath ?? Config.BaseModelNameOrPath,
            InferenceMode = true,
            FanInFanOut = model.Config.IsGpt2,
            TargetModules = layers.Keys.Select(LastSegment).Distinct().Order(StringComparer.Ordinal).ToList(),
        };
        var target = Path.Combine(folder, LoraConfig.FileName);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, config.ToJson());
        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>
    /// Applies the adapter saved in <paramref name="folder"/> (ours or PEFT's) to <paramref name="model"/>. Every
    /// wrapped projection must find its A and B in the file, with the right shapes, and the file must hold nothing else.
    /// </summary>
    public static LoraAdapter Load(CausalLM model, string folder, ScalarType? adapterDtype = null)
    {
        var config = LoraConfig.Load(folder);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException(
                $"'{folder}' has {LoraConfig.FileName} but no {WeightsFileName} (adapter_model.bin is not supported).", weightsPath);

        var entries = SafeTensorsFile.ReadEntries(weightsPath).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var adapter = Apply(model, config, adapterDtype);
        var expected = adapter.layers.SelectMany(pair => new[]
        {
            (Key: PeftKey(pair.Key, "lora_A"), Parameter: pair.Value.LoraA),
            (Key: PeftKey(pair.Key, "lora_B"), Parameter: pair.Value.LoraB),
        }).ToList();

        var unexpected = entries.Keys.Except(expected.Select(e => e.Key)).FirstOrDefault();
        if (unexpected is not null)
            throw new InvalidDataException(
                $"{weightsPath}: tensor '{unexpected}' matches no adapted module of this model (target_modules " +
                $"[{string.Join(", ", config.TargetModules)}]).");
        var missing = expected.Select(e => e.Key).Except(entries.Keys).FirstOrDefault();
        if (missing is not null)
            throw new InvalidDataException($"{weightsPath}: tensor '{missing}' is missing.");

        using (no_grad())
        {
            foreach (var (key, parameter) in expected)
            {
                var entry = entries[key];
                if (!entry.Shape.SequenceEqual(parameter.shape))
                    throw new InvalidDataException(
                        $"{weightsPath}: tensor '{key}' has shape [{string.Join(", ", entry.Shape)}]; this model needs " +
                        $"[{string.Join(", ", parameter.shape)}] (r = {config.Rank}).");
                using var stored = SafeTensorsFile.ReadTensor(entry, parameter.dtype, parameter.device);
                parameter.copy_(stored);
            }
        }
        return adapter;
    }

    /// <summary>The key PEFT saves a matrix under: <c>base_model.model.{path}.lora_A.weight</c>.</summary>
    public static string PeftKey(string modulePath, string matrix) => $"{PeftKeyPrefix}{modulePath}.{matrix}.weight";

    private void ThrowIfUnloaded()
    {
        if (unloaded)
            throw new InvalidOperationException("The adapters were merged and unloaded; this adapter object is spent.");
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];

    /// <summary>Keeps a fresh adapter's dropout in the model's current train/eval mode.</summary>
    private static void SetMode(CausalLM model) => model.train(model.training);

    /// <summary>
    /// Puts <paramref name="replacement"/> where the module at <paramref name="path"/> was: in the parent's field
    /// (which its forward pass calls) and in its registered submodules (which <c>named_parameters()</c>, <c>to()</c>
    /// and <c>train()</c> walk).
    /// </summary>
    private static void ReplaceChild(Module root, string path, Module replacement)
    {
        var dot = path.LastIndexOf('.');
        var name = path[(dot + 1)..];
        var parent = dot < 0 ? root : Resolve(root, path[..dot]);
        var field = FindField(parent.GetType(), name)
            ?? throw new NotSupportedException(
                $"Module '{path}' is not held in a field of {parent.GetType().Name}, so it cannot be wrapped.");
        if (!field.FieldType.IsInstanceOfType(replacement))
            throw new NotSupportedException(
                $"Module '{path}' is held as {field.FieldType.Name} in {parent.GetType().Name}; a {replacement.GetType().Name} " +
                "cannot take its place (declare the field as Module<Tensor, Tensor>).");

        field.SetValue(parent, replacement);
        parent.register_module(name, null!); // a null module unregisters the name
        parent.register_module(name, replacement);
    }

    private static Module Resolve(Module root, string path) =>
        path.Split('.').Aggregate(root, (module, segment) =>
            module.named_children().FirstOrDefault(child => child.name == segment).module
                ?? throw new InvalidOperationException($"The model has no submodule '{segment}' on the path '{path}'."));

    private static FieldInfo? FindField(Type? type, string componentName)
    {
        for (; type is not null && type != typeof(object); type = type.BaseType)
        {
            var field = type
                .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .FirstOrDefault(f => (f.GetCustomAttribute<ComponentNameAttribute>()?.Name ?? f.Name) == componentName);
            if (field is not null)
                return field;
        }
        return null;
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? pending = restore;

        public void Dispose()
        {
            pending?.Invoke();
            pending = null;
        }
    }
}
