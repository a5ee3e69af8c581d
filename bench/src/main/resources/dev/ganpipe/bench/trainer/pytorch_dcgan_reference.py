#!/usr/bin/env python3
"""PyTorch eager reference of the trainer's DCGAN step, for `./gan bench trainer`.

It mirrors dev.ganpipe.trainer.gan.DcganModels and GanTrainingCore.trainStep exactly:

  generator      Linear(noise -> w0*s*s, no bias) -> reshape -> BN -> ReLU
                 then per stage: nearest upsample x2 -> 3x3 conv (no bias) -> BN -> ReLU
                 then nearest upsample x2 -> 3x3 conv to C (bias) -> Tanh
                 (the Java side computes each upsample + conv pair as four 2x2 convolutions of the small map,
                 the same function; '--upsample phase' does that here too, the default is the idiomatic pair)
                 dcgan28: s=7, widths 2w, w;  dcgan32: s=4, widths 4w, 2w, w;  dcgan64: s=4, widths 8w, 4w, 2w, w
  discriminator  4x4 stride-2 convs (bias only on the first, BN on all but the first), LeakyReLU(0.2),
                 flatten, Linear(-> 1, bias)
                 dcgan28: widths w, 2w;  dcgan32: widths w, 2w, 4w;  dcgan64: widths w, 2w, 4w, 8w
  step           D half: fresh noise, fakes from G in train mode without a graph (detached), G's running
                 BatchNorm statistics restored afterwards; separate D forwards of real and fake,
                 BCEWithLogits(real, 1) + BCEWithLogits(fake, 0), backward, Adam step on D.
                 G half: fresh noise, D(G(z)) in train mode, BCEWithLogits(., 1), backward, D's running
                 statistics restored and its gradients zeroed, Adam step on G.
  optimisers     Adam(lr 2e-4, betas (0.5, 0.999), eps 1e-8), one per network
  EMA            after every step (unless --ema-decay 0), as GeneratorAverage: an average generator's weights
                 follow avg = d * avg + (1 - d) * w with d = min(decay, (1 + t) / (10 + t)); its BatchNorm
                 running statistics are recomputed under its own weights only before it is used (samples,
                 exports), not per step, so the timed step does not include them
  init           conv/linear weights N(0, 0.02), BN gamma N(1, 0.02), biases and beta 0

Timing: --warmup untimed steps, then whole steps until --seconds have passed (the same policy as the
Java side). Prints exactly one JSON line on stdout; everything else goes to stderr.
"""

import argparse
import copy
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("PyTorch is not installed for " + sys.executable + "; install Debian's package with "
          "'apt-get install -y python3-torch' (as root) and run the bench again.", file=sys.stderr)
    sys.exit(3)

LEAKY_SLOPE = 0.2
BN_EPS = 1e-5
BN_MOMENTUM = 0.1  # PyTorch's convention; DJL's 0.9 is the same thing
INIT_STD = 0.02


class Upsample(nn.Module):
    """Nearest-neighbour x2. 'nearest' is the idiomatic kernel; 'repeat' is what the Java side computes
    (repeat_interleave on H, then on W), kept to measure what that costs."""

    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        if self.mode == "repeat":
            return x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)
        return F.interpolate(x, scale_factor=2, mode="nearest")


class ResizeConv(nn.Module):
    """Nearest upsample x2 then a 3x3 conv (stride 1, padding 1), computed as the Java side computes it
    (ResizeConvolution): four 2x2 convolutions of the small map, one per output phase, with taps summed from the
    3x3 weight, interleaved afterwards. The same function with 4/9 of the multiply-adds; '--upsample phase'."""

    # TAPS[a][k]: the 3x3 rows (or columns) that add up to tap k of phase a
    TAPS = ((0,), (1, 2)), ((0, 1), (2,))

    def __init__(self, conv):
        super().__init__()
        self.conv = conv
        m = torch.zeros(9, 16)
        for r in range(3):
            for c in range(3):
                for a in range(2):
                    for b in range(2):
                        for ky in range(2):
                            for kx in range(2):
                                if r in self.TAPS[a][ky] and c in self.TAPS[b][kx]:
                                    m[3 * r + c, 8 * a + 4 * b + 2 * ky + kx] = 1.0
        self.register_buffer("tap_sums", m, persistent=False)

    def forward(self, x):
        out, inp = self.conv.weight.shape[0], self.conv.weight.shape[1]
        n, _, h, w = x.shape
        taps = (self.conv.weight.reshape(out * inp, 9) @ self.tap_sums).reshape(out, inp, 2, 2, 2, 2)
        weight = taps.permute(2, 3, 0, 1, 4, 5).reshape(4 * out, inp, 2, 2)
        bias = None if self.conv.bias is None else self.conv.bias.repeat(4)
        phases = F.conv2d(x, weight, bias, 1, 1)
        rows = [torch.stack([phases[:, (2 * a + b) * out:(2 * a + b + 1) * out, a:a + h, b:b + w] for b in range(2)], 4)
                for a in range(2)]
        return torch.stack(rows, 3).reshape(n, out, 2 * h, 2 * w)


def resize_conv(upsample, conv):
    """The generator's upsample + 3x3 conv pair, as the chosen --upsample computes it."""
    if upsample == "phase":
        return [ResizeConv(conv)]
    return [Upsample(upsample), conv]


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def layout(arch, width):
    if arch == "dcgan28":
        return 28, 1, 7, [2 * width, width], [width, 2 * width]
    if arch == "dcgan32":
        return 32, 3, 4, [4 * width, 2 * width, width], [width, 2 * width, 4 * width]
    if arch == "dcgan64":
        return 64, 3, 4, [8 * width, 4 * width, 2 * width, width], [width, 2 * width, 4 * width, 8 * width]
    raise SystemExit("Unknown --arch " + arch + "; use dcgan28, dcgan32 or dcgan64.")


def generator(arch, width, noise_dim, upsample):
    size, channels, start, widths, _ = layout(arch, width)
    layers = [nn.Linear(noise_dim, widths[0] * start * start, bias=False), Reshape(widths[0], start, start),
              nn.BatchNorm2d(widths[0], eps=BN_EPS, momentum=BN_MOMENTUM), nn.ReLU()]
    for i in range(1, len(widths)):
        layers += resize_conv(upsample, nn.Conv2d(widths[i - 1], widths[i], 3, 1, 1, bias=False))
        layers += [nn.BatchNorm2d(widths[i], eps=BN_EPS, momentum=BN_MOMENTUM), nn.ReLU()]
    layers += resize_conv(upsample, nn.Conv2d(widths[-1], channels, 3, 1, 1, bias=True)) + [nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator(arch, width):
    size, channels, _, _, widths = layout(arch, width)
    layers = []
    in_ch = channels
    for i, w in enumerate(widths):
        normalised = i > 0
        layers.append(nn.Conv2d(in_ch, w, 4, 2, 1, bias=not normalised))
        if normalised:
            layers.append(nn.BatchNorm2d(w, eps=BN_EPS, momentum=BN_MOMENTUM))
        layers.append(nn.LeakyReLU(LEAKY_SLOPE))
        in_ch = w
    final = size // (2 ** len(widths))
    layers += [nn.Flatten(), nn.Linear(in_ch * final * final, 1, bias=True)]
    return nn.Sequential(*layers)


def initialise(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, INIT_STD)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, INIT_STD)
            nn.init.zeros_(m.bias)


def running_stats(module):
    return [b for name, b in module.named_buffers() if name.endswith("running_mean") or name.endswith("running_var")]


class Step:
    def __init__(self, args):
        self.device = torch.device(getattr(args, "device", "cpu"))
        self.g = generator(args.arch, args.width, args.noise_dim, args.upsample)
        self.d = discriminator(args.arch, args.width)
        initialise(self.g)
        initialise(self.d)
        self.g.to(self.device)  # initialised on the CPU first, so the weights do not depend on the device
        self.d.to(self.device)
        self.g.train()
        self.d.train()
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.g_stats = running_stats(self.g)
        self.d_stats = running_stats(self.d)
        self.noise_dim = args.noise_dim
        self.ema_decay = args.ema_decay
        self.ema_updates = 0
        self.average = copy.deepcopy(self.g) if args.ema_decay > 0 else None
        if self.average is not None:
            self.average_weights = [p for p in self.average.parameters()]

    def d_half(self, real):
        n = real.shape[0]
        z = torch.randn(n, self.noise_dim, device=self.device)
        saved = [s.clone() for s in self.g_stats]
        with torch.no_grad():  # the Java side runs this forward with grad mode off: detached by construction
            fake = self.g(z)
        with torch.no_grad():
            for s, v in zip(self.g_stats, saved):
                s.copy_(v)
        self.opt_g.zero_grad(set_to_none=False)
        self.opt_d.zero_grad(set_to_none=False)
        real_logits = self.d(real)
        fake_logits = self.d(fake)
        loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
        loss.backward()
        self.opt_d.step()
        with torch.no_grad():
            return loss.item(), torch.sigmoid(real_logits).mean().item(), torch.sigmoid(fake_logits).mean().item()

    def g_half(self, n):
        z = torch.randn(n, self.noise_dim, device=self.device)
        self.opt_g.zero_grad(set_to_none=False)
        self.opt_d.zero_grad(set_to_none=False)
        saved = [s.clone() for s in self.d_stats]
        logits = self.d(self.g(z))
        loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
        loss.backward()
        with torch.no_grad():
            for s, v in zip(self.d_stats, saved):
                s.copy_(v)
        self.opt_d.zero_grad(set_to_none=False)  # D must not learn from the G half
        self.opt_g.step()
        if self.average is not None:
            self.update_average()
        return loss.item()

    def update_average(self):
        d = min(self.ema_decay, (1.0 + self.ema_updates) / (10.0 + self.ema_updates))
        with torch.no_grad():
            for a, w in zip(self.average_weights, self.g.parameters()):
                a.mul_(d).add_(w * (1 - d))  # the same three ops as the Java side
        self.ema_updates += 1


def profile(step, batches, batch, steps):
    """Per-op self and total CPU time of `steps` steps (ms per step), the time spent inside top-level ops, and the
    cost of one tiny op (the framework's fixed per-op overhead)."""
    start = time.perf_counter()
    with torch.autograd.profiler.profile() as prof:
        for j in range(steps):
            step.d_half(batches[j % len(batches)])
            step.g_half(batch)
    wall = time.perf_counter() - start
    ops = {e.key: [e.self_cpu_time_total / 1000 / steps, e.cpu_time_total / 1000 / steps, e.count / steps]
           for e in prof.key_averages()}
    top_level = [e for e in prof.function_events if e.cpu_parent is None]
    a, b = torch.ones(1), torch.ones(1)
    for _ in range(1000):
        a + b
    n = 20000
    t0 = time.perf_counter()
    for _ in range(n):
        a + b
    tiny_us = (time.perf_counter() - t0) / n * 1e6
    return {
        "steps": steps,
        "wall_ms_per_step": wall * 1000 / steps,
        "inside_top_level_ops_ms_per_step": sum(e.cpu_time_total for e in top_level) / 1000 / steps,
        "top_level_ops_per_step": len(top_level) / steps,
        "ops": ops,
        "tiny_op_us": tiny_us,
    }


def main():
    p = argparse.ArgumentParser(description="PyTorch eager reference of the trainer's DCGAN step.")
    p.add_argument("--arch", choices=["dcgan28", "dcgan32", "dcgan64"], default="dcgan28")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=0, help="intra-op threads; 0 keeps torch's default")
    p.add_argument("--seconds", type=float, default=20.0, help="timed duration after warm-up")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps before timing")
    p.add_argument("--width", type=int, default=64, help="base width of both networks")
    p.add_argument("--noise-dim", type=int, default=100)
    p.add_argument("--upsample", choices=["nearest", "repeat", "phase"], default="nearest",
                   help="nearest: F.interpolate then conv (idiomatic); repeat: repeat_interleave then conv; "
                        "phase: the trainer's four 2x2 convolutions per resize-convolution")
    p.add_argument("--ema-decay", type=float, default=0.999,
                   help="decay of the generator's weight average updated after every step; 0 turns it off")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--device", default="cpu", help="cpu, or cuda to time the same step on the GPU")
    p.add_argument("--profile", action="store_true",
                   help="after timing, profile steps with torch.autograd.profiler and add per-op times")
    p.add_argument("--profile-steps", type=int, default=3)
    args = p.parse_args()
    if args.batch < 2:
        raise SystemExit("--batch must be at least 2 (BatchNorm needs two samples).")

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    step = Step(args)
    size, channels, _, _, _ = layout(args.arch, args.width)
    # A few fixed batches in memory, like the Java side; pixel values do not change the arithmetic cost.
    batches = [(torch.rand(args.batch, channels, size, size) * 2 - 1).to(step.device) for _ in range(4)]

    for i in range(args.warmup):
        step.d_half(batches[i % len(batches)])
        step.g_half(args.batch)

    d_times, g_times, step_times = [], [], []
    cpu_start = time.process_time()  # every thread of this process: less sensitive to a busy machine than wall time
    start = time.perf_counter()
    deadline = start + args.seconds
    i = 0
    while True:
        t0 = time.perf_counter()
        step.d_half(batches[i % len(batches)])
        t1 = time.perf_counter()
        step.g_half(args.batch)
        t2 = time.perf_counter()
        d_times.append(t1 - t0)
        g_times.append(t2 - t1)
        step_times.append(t2 - t0)
        i += 1
        if t2 >= deadline:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    result = {
        "arch": args.arch,
        "batch": args.batch,
        "width": args.width,
        "threads": torch.get_num_threads(),
        "upsample": args.upsample,
        "ema_decay": args.ema_decay,
        "warmup_steps": args.warmup,
        "steps": len(step_times),
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "images_per_second": len(step_times) * args.batch / elapsed,
        "step_ms_median": 1000 * statistics.median(step_times),
        "d_ms_median": 1000 * statistics.median(d_times),
        "g_ms_median": 1000 * statistics.median(g_times),
        "torch": torch.__version__,
        "mkldnn": bool(torch.backends.mkldnn.is_available()),
        "device": str(step.device) + (" " + torch.cuda.get_device_name(step.device) if step.device.type == "cuda" else ""),
        "python": sys.version.split()[0],
    }
    if args.profile:
        result["profile"] = profile(step, batches, args.batch, args.profile_steps)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
