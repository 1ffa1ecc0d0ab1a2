#!/usr/bin/python3
"""Independent reference forward pass for Hugging Face Llama/Qwen2/Mistral and GPT-2 checkpoints.

Reads config.json and model.safetensors (or a sharded index) itself - no transformers, no safetensors package -
runs the model from scratch in float64, and prints the log-probability of each next token as JSON:

    /usr/bin/python3 hf_forward.py MODEL_DIR '[[5, 9, 17], [1, 2, 3]]'
    -> {"logprobs": [[lp(9 | 5), lp(17 | 5 9)], ...]}

Run with Debian's python3-torch (apt-get install -y python3-torch libopenblas0-pthread).
"""
import json
import math
import os
import struct
import sys

try:
    import numpy as np
    import torch
except ImportError as error:
    sys.exit(f"hf_forward.py needs torch and numpy for /usr/bin/python3: apt-get install -y python3-torch "
             f"libopenblas0-pthread ({error})")

DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":
            # bfloat16 is the top half of a float32.
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.astype(np.float64).reshape(info["shape"]))
    return tensors


def read_weights(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    weights = {}
    for shard in shards:
        weights.update(read_safetensors(os.path.join(folder, shard)))
    return weights


def causal_attention(q, k, v):
    """q (H, T, D), k and v (H, T, D) -> (H, T, D), softmax over earlier positions only."""
    t = q.shape[1]
    scores = q @ k.transpose(1, 2) / math.sqrt(q.shape[-1])
    future = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(future, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def rope_inverse_frequencies(config, head_dim):
    base = config.get("rope_theta", 10000.0)
    frequencies = [1.0 / base ** (2 * i / head_dim) for i in range(head_dim // 2)]
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_max_position_embeddings"]
        scaled = []
        for f in frequencies:
            wavelength = 2 * math.pi / f
            if wavelength < original / high:
                scaled.append(f)
            elif wavelength > original / low:
                scaled.append(f / factor)
            else:
                smooth = (original / wavelength - low) / (high - low)
                scaled.append((1 - smooth) * f / factor + smooth * f)
        frequencies = scaled
    elif kind != "default":
        raise ValueError(f"rope type {kind} not implemented in the reference")
    return torch.tensor(frequencies, dtype=torch.float64)


def rotate(x, cos, sin):
    """x (H, T, D): rotate-half rotary embedding as in HF's apply_rotary_pos_emb."""
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + rotated * sin


def rms_norm(x, weight, eps):
    return weight * x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps)


def llama_logits(config, w, ids):
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    eps = config.get("rms_norm_eps", 1e-6)
    t = len(ids)

    angles = torch.arange(t, dtype=torch.float64)[:, None] * rope_inverse_frequencies(config, head_dim)[None, :]
    cos, sin = torch.cat([angles, angles], -1).cos(), torch.cat([angles, angles], -1).sin()

    def linear(x, name):
        y = x @ w[name + ".weight"].T
        return y + w[name + ".bias"] if name + ".bias" in w else y

    x = w["model.embed_tokens.weight"][ids]
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = linear(h, p + "self_attn.q_proj").view(t, heads, head_dim).transpose(0, 1)
        k = linear(h, p + "self_attn.k_proj").view(t, kv_heads, head_dim).transpose(0, 1)
        v = linear(h, p + "self_attn.v_proj").view(t, kv_heads, head_dim).transpose(0, 1)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k, v = k.repeat_interleave(heads // kv_heads, 0), v.repeat_interleave(heads // kv_heads, 0)
        attended = causal_attention(q, k, v).transpose(0, 1).reshape(t, heads * head_dim)
        x = x + linear(attended, p + "self_attn.o_proj")
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = linear(h, p + "mlp.gate_proj")
        x = x + linear(gate * torch.sigmoid(gate) * linear(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    return x @ head.T


def gpt2_logits(config, w, ids):
    # OpenAI's original checkpoints have no "transformer." prefix.
    w = {(k if k.startswith(("transformer.", "lm_head.")) else "transformer." + k): v for k, v in w.items()}
    hidden, heads = config["n_embd"], config["n_head"]
    eps = config.get("layer_norm_epsilon", 1e-5)
    t, head_dim = len(ids), hidden // heads

    def layer_norm(x, name):
        mean = x.mean(-1, keepdim=True)
        variance = ((x - mean) ** 2).mean(-1, keepdim=True)
        return (x - mean) / torch.sqrt(variance + eps) * w[name + ".weight"] + w[name + ".bias"]

    def conv1d(x, name):  # HF Conv1D: weight (in, out)
        return x @ w[name + ".weight"] + w[name + ".bias"]

    def gelu(x):
        if config.get("activation_function", "gelu_new") == "gelu":
            return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))

    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][torch.arange(t)]
    for layer in range(config["n_layer"]):
        p = f"transformer.h.{layer}."
        qkv = conv1d(layer_norm(x, p + "ln_1"), p + "attn.c_attn")
        q, k, v = (part.view(t, heads, head_dim).transpose(0, 1) for part in qkv.split(hidden, -1))
        x = x + conv1d(causal_attention(q, k, v).transpose(0, 1).reshape(t, hidden), p + "attn.c_proj")
        x = x + conv1d(gelu(conv1d(layer_norm(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
    x = layer_norm(x, "transformer.ln_f")
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["transformer.wte.weight"]
    return x @ head.T


def main():
    folder, sequences = sys.argv[1], json.loads(sys.argv[2])
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    weights = read_weights(folder)
    architecture = config["architectures"][0]
    forward = {
        "LlamaForCausalLM": llama_logits,
        "Qwen2ForCausalLM": llama_logits,
        "MistralForCausalLM": llama_logits,
        "GPT2LMHeadModel": gpt2_logits,
    }[architecture]
    result = []
    for ids in sequences:
        log_probs = torch.log_softmax(forward(config, weights, torch.tensor(ids)), dim=-1)
        result.append([log_probs[i, ids[i + 1]].item() for i in range(len(ids) - 1)])
    print(json.dumps({"logprobs": result}))


if __name__ == "__main__":
    main()
