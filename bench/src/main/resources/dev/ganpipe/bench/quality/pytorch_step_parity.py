#!/usr/bin/env python3
"""Replays the trainer's first training steps in PyTorch eager, for `./gan bench step-parity`.

The Java side (StepParity) writes into --dir:
  state.json    the trainer's initial tensors: [{"name", "shape", "offset"}], offsets in floats into state.f32
  state.f32     their values, little-endian float32, in that order
  steps.f32     per step: the real batch [N, C, H, W], the D half's noise [N, nz], the G half's noise [N, nz]
  steps.json    {"steps", "batch", "noise_dim", "width", "arch"}
This script loads the same weights into the bench's reference networks (pytorch_dcgan_reference.py, imported
unchanged), feeds the same images and noise through the same step, and prints one JSON line: per step the D loss,
G loss, D(real) and D(fake). Progress and warnings go to stderr.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The reference module stops with exit code 3 and the command that installs PyTorch when torch is missing.
import pytorch_dcgan_reference as ref  # noqa: E402  (needs the path above)
import torch  # noqa: E402


def load_floats(path):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)


def reference_tensors(module):
    """The module's parameters and running statistics in the order the trainer's blocks list theirs."""
    out = []
    for m in module.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            out.append(m.weight)
            if m.bias is not None:
                out.append(m.bias)
        elif isinstance(m, torch.nn.BatchNorm2d):
            out += [m.weight, m.bias, m.running_mean, m.running_var]
    return out


def main():
    p = argparse.ArgumentParser(description="Replays the trainer's first steps in PyTorch eager from its initial state.")
    p.add_argument("--dir", required=True)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.dir, "steps.json")) as f:
        meta = json.load(f)
    with open(os.path.join(args.dir, "state.json")) as f:
        manifest = json.load(f)
    values = load_floats(os.path.join(args.dir, "state.f32"))
    step = ref.Step(argparse.Namespace(arch=meta["arch"], width=meta["width"], noise_dim=meta["noise_dim"],
                                       upsample="nearest", ema_decay=0.0))
    for group, module in (("generator", step.g), ("discriminator", step.d)):
        entries = [e for e in manifest if e["name"].startswith(group + "/")]
        targets = reference_tensors(module)
        if len(entries) != len(targets):
            raise SystemExit("The trainer's %s has %d tensors but the reference's has %d; the two networks differ."
                             % (group, len(entries), len(targets)))
        with torch.no_grad():
            for e, t in zip(entries, targets):
                n = 1
                for d in e["shape"]:
                    n *= d
                v = values[e["offset"]:e["offset"] + n].reshape(e["shape"])
                if tuple(v.shape) != tuple(t.shape):
                    raise SystemExit("Tensor %s has shape %s in the trainer but %s in the reference."
                                     % (e["name"], list(v.shape), list(t.shape)))
                t.copy_(v)

    size, channels = ref.layout(meta["arch"], meta["width"])[:2]
    n, nz = meta["batch"], meta["noise_dim"]
    per_step = n * channels * size * size + 2 * n * nz
    data = load_floats(os.path.join(args.dir, "steps.f32"))
    queue = []
    torch_randn = torch.randn
    torch.randn = lambda *shape, **kw: queue.pop(0)  # the step draws its noise with torch.randn: hand it the trainer's
    results = []
    try:
        for s in range(meta["steps"]):
            block = data[s * per_step:(s + 1) * per_step]
            real = block[:n * channels * size * size].reshape(n, channels, size, size)
            rest = block[n * channels * size * size:]
            queue[:] = [rest[:n * nz].reshape(n, nz), rest[n * nz:].reshape(n, nz)]
            d_loss, d_real, d_fake = step.d_half(real)
            g_loss = step.g_half(n)
            results.append({"step": s + 1, "d_loss": d_loss, "g_loss": g_loss, "d_real": d_real, "d_fake": d_fake})
    finally:
        torch.randn = torch_randn
    print(json.dumps({"torch": torch.__version__, "steps": results}), flush=True)


if __name__ == "__main__":
    main()
