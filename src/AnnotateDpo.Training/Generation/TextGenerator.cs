using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Generation;

/// <summary>
/// Autoregressive generation for one prompt with the KV cache: greedy or sampled, stopping on EOS ids, stop
/// strings or a token limit, streaming each token with the text it adds. Runs without grad, in eval mode (the
/// model's mode is restored afterwards), and frees each step's tensors before the next.
/// </summary>
public sealed class TextGenerator
{
    private readonly ICausalLM model;
    private readonly Func<IReadOnlyList<int>, string> decode;

    /// <param name="decode">Ids to text, as the tokenizer decodes them (typically skipping special tokens).</param>
    public TextGenerator(ICausalLM model, Func<IReadOnlyList<int>, string> decode)
    {
        this.model = model;
        this.decode = decode;
    }

    /// <summary>Decodes with <paramref name="tokenizer"/>, leaving special tokens out of the text.</summary>
    public TextGenerator(ICausalLM model, HfTokenizer tokenizer)
        : this(model, ids => tokenizer.Decode(ids, skipSpecialTokens: true))
    {
    }

    /// <summary>Generates a continuation of <paramref name="promptIds"/>; <paramref name="onToken"/> sees every token as it comes.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled; no further token is produced.</exception>
    public GenerationResult Generate(
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        Action<GeneratedToken>? onToken = null,
        CancellationToken cancellationToken = default) =>
        Generate(promptIds, options, onToken, onStepLogits: null, cancellationToken);

    /// <summary>
    /// The tokens of <see cref="Generate(IReadOnlyList{int}, GenerationOptions, Action{GeneratedToken}?, CancellationToken)"/>
    /// as they come. The work runs on its own thread (torch's grad mode is per thread); leaving the loop early or
    /// cancelling stops it.
    /// </summary>
    public async IAsyncEnumerable<GeneratedToken> StreamAsync(
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options.Validate();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var worker = Task.Factory.StartNew(() =>
        {
            try
            {
                Generate(promptIds, options, token => channel.Writer.TryWrite(token), stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception error)
            {
                channel.Writer.Complete(error);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await foreach (var token in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Tokens already queued must not outrun a cancellation.
                cancellationToken.ThrowIfCancellationRequested();
                yield return token;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await worker.ConfigureAwait(false);
        }
    }

    /// <param name="onStepLogits">Test hook: each step's next-token logits (V), before any processing.</param>
    internal GenerationResult Generate(
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        Action<GeneratedToken>? onToken,
        Action<float[]>? onStepLogits,
        CancellationToken cancellationToken)
    {
        options.Validate();
        if (promptIds.Count == 0)
            throw new ArgumentException("The prompt has no tokens; generation needs at least one.", nameof(promptIds));
        var maxPositions = model.Config.MaxPositions;
        if (promptIds.Count >= maxPositions)
            throw new ArgumentException(
                $"The prompt has {promptIds.Count} tokens; the model takes at most {maxPositions} in all, leaving no room to generate.",
                nameof(promptIds));

        var module = model as nn.Module;
        var wasTraining = module?.training ?? false;
        module?.eval();
        try
        {
            using var noGrad = no_grad();
            var device = TokenLogProbs.DeviceOf(model);
            using var sampler = new TokenSampler(options, device);
            using var cache = options.UseCache ? model.CreateCache() : null;
            var stream = new TextStream(decode, options.StopStrings);
            var all = new List<int>(promptIds);
            var generated = new List<int>();
            var eos = options.EosTokenIds as ISet<int> ?? options.EosTokenIds.ToHashSet();

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int next;
                using (NewDisposeScope())
                {
                    // With a cache, only the tokens it has not seen; without, the whole sequence again.
                    var fresh = cache is null ? all : all.Skip((int)cache.Length).ToList();
                    using var inputIds = tensor(fresh.Select(id => (long)id).ToArray(), [1, fresh.Count], ScalarType.Int64, device);
                    using var hidden = model.ForwardHidden(inputIds, null, cache); // (1, T, C)
                    using var last = hidden[0, ^1..]; // (1, C)
                    using var logits = model.ApplyLmHead(last); // (1, V)
                    using var row = logits[0].to(ScalarType.Float32); // (V)
                    if (onStepLogits is not null)
                    {
                        using var cpu = row.cpu();
                        onStepLogits(cpu.data<float>().ToArray());
                    }
                    next = sampler.Next(row, all);
                }

                all.Add(next);
                generated.Add(next);
                if (eos.Contains(next))
                {
                    onToken?.Invoke(new GeneratedToken(next, stream.Flush()));
                    return new GenerationResult(generated, stream.Text, StopReason.EndOfSequence);
                }

                StopReason? reason = generated.Count >= options.MaxNewTokens ? StopReason.MaxNewTokens
                    : all.Count >= maxPositions ? StopReason.MaxLength
                    : null;
                var (delta, hitStop) = stream.Append(generated, isLast: reason is not null);
                onToken?.Invoke(new GeneratedToken(next, delta));
                if (hitStop)
                    return new GenerationResult(generated, stream.Text, StopReason.StopString);
                if (reason is { } stopReason)
                    return new GenerationResult(generated, stream.Text, stopReason);
            }
        }
        finally
        {
            if (wasTraining)
                module!.train();
        }
    }

    /// <summary>
    /// Turns the growing list of ids into text deltas. A delta never ends inside an incomplete character (the
    /// decoder shows it as U+FFFD) nor in what might be the start of a stop string, so streamed text is never
    /// taken back.
    /// </summary>
    private sealed class TextStream(Func<IReadOnlyList<int>, string> decode, IReadOnlyList<string> stopStrings)
    {
        private readonly int longestStop = stopStrings.Count == 0 ? 0 : stopStrings.Max(s => s.Length);
        private int emitted;

        /// <summary>The text so far (cut before the stop string once one appeared).</summary>
        public string Text { get; private set; } = "";

        public (string Delta, bool HitStop) Append(IReadOnlyList<int> generated, bool isLast)
        {
            var text = decode(generated);
            var searchFrom = Math.Max(0, Math.Min(emitted, text.Length) - longestStop);
            var stopAt = stopStrings
                .Select(stop => text.IndexOf(stop, searchFrom, StringComparison.Ordinal))
                .Where(index => index >= 0)
                .DefaultIfEmpty(-1)
                .Min();
            if (stopAt >= 0)
            {
                Text = text[..stopAt];
                return (TakeDelta(Text.Length), true);
            }

            Text = text;
            return (TakeDelta(isLast ? text.Length : SafeEnd(text)), false);
        }

        /// <summary>The text held back so far, once nothing more will come.</summary>
        public string Flush() => TakeDelta(Text.Length);

        private string TakeDelta(int end)
        {
            if (end <= emitted)
                return "";
            var delta = Text[emitted..end];
            emitted = end;
            return delta;
        }

        private int SafeEnd(string text)
        {
            var end = text.Length;
            while (end > emitted && text[end - 1] == '\uFFFD')
                end--;
            for (var length = Math.Min(longestStop - 1, end - emitted); length > 0; length--)
            {
                var tail = text.Substring(end - length, length);
                if (stopStrings.Any(stop => stop.StartsWith(tail, StringComparison.Ordinal)))
                    return end - length;
            }
            return end;
        }
    }
}
