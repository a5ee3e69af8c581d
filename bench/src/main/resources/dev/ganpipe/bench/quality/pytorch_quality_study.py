#!/usr/bin/env python3
"""PyTorch reference of `./gan bench quality`: trains the bench's PyTorch eager DCGAN (pytorch_dcgan_reference.py,
imported from the same folder, so the networks, the step and the weight average are the bench's exactly) on the
images and order the Java side trains on, then exports the published generator (the weight average when
--ema-decay > 0) to ONNX with input `z` [N, nz] and output `image` [N, C, H, W], for quality's OnnxModelGenerator.

Inputs written by the Java side:
  --images   uint8 pixels, --count images of --arch's shape one after another, each in CHW order (28x28x1 for dcgan28,
             32x32x3 for dcgan32, 64x64x3 for dcgan64)
  --order    little-endian int32 image indices, --steps * --batch of them, the order batches take images in
             (with --train-seconds: any whole number of epochs, cycled from its start if training outruns it)
Progress goes to stderr; exactly one JSON line goes to stdout.

With --train-seconds (the equal-time mode of `./gan bench quality --minutes`) the script trains for that much training
time instead of --steps, exporting the published generator every --export-every-seconds of training time and at the
end; the clock pauses while it exports, as the Java side's pauses while it measures.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The reference module stops with exit code 3 and the command that installs PyTorch when torch is missing.
import pytorch_dcgan_reference as ref  # noqa: E402  (needs the path above)
import torch  # noqa: E402


def main():
    p = argparse.ArgumentParser(description="Trains the bench's PyTorch DCGAN on given data and exports its generator to ONNX.")
    p.add_argument("--images", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--order", required=True)
    p.add_argument("--steps", type=int, default=0, help="training steps (required unless --train-seconds is given)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--arch", choices=["dcgan28", "dcgan32", "dcgan64"], default="dcgan28",
                   help="the networks, as the trainer's of that size (the images' shape follows)")
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--noise-dim", type=int, default=100)
    p.add_argument("--ema-decay", type=float, default=0.999)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--onnx", required=True, help="the exported generator; with --export-at, <stem>-<step>.onnx per step")
    p.add_argument("--export-at", default="",
                   help="comma-separated steps after which to export the published generator (default: the last step only)")
    p.add_argument("--progress-every", type=int, default=50)
    p.add_argument("--max-seconds", type=float, default=0,
                   help="stop training after this much wall time (0: never) and export what was trained; for "
                        "equal-wall-time comparisons")
    p.add_argument("--train-seconds", type=float, default=0,
                   help="train for this much training time (exports not counted) instead of --steps")
    p.add_argument("--export-every-seconds", type=float, default=0,
                   help="with --train-seconds: export the published generator each time this much more training time has "
                        "passed, and at the end (0: at the end only)")
    args = p.parse_args()
    if args.train_seconds <= 0 and args.steps < 1:
        raise SystemExit("Give --steps (at least 1) or --train-seconds (above 0).")

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    size, channels, _, _, _ = ref.layout(args.arch, args.width)
    with open(args.images, "rb") as f:
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    if pixels.numel() != args.count * size * size * channels:
        raise SystemExit("--images holds %d bytes but --count %d images of %dx%dx%d need %d; write them again."
                         % (pixels.numel(), args.count, size, size, channels, args.count * size * size * channels))
    images = pixels.reshape(args.count, channels, size, size)
    with open(args.order, "rb") as f:
        order = torch.frombuffer(bytearray(f.read()), dtype=torch.int32).long()
    step = ref.Step(argparse.Namespace(arch=args.arch, width=args.width, noise_dim=args.noise_dim, upsample="nearest",
                                       ema_decay=args.ema_decay))
    if args.train_seconds > 0:
        train_for(args, step, images, order)
        return
    if order.numel() != args.steps * args.batch:
        raise SystemExit("--order holds %d indices but --steps * --batch = %d are needed; write it again."
                         % (order.numel(), args.steps * args.batch))

    export_at = sorted({int(x) for x in args.export_at.split(",") if x.strip()}) or [args.steps]
    if export_at[-1] > args.steps or export_at[0] < 1:
        raise SystemExit("--export-at steps must lie in 1..--steps (%d), but were %s." % (args.steps, export_at))
    exported = {}
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + args.max_seconds if args.max_seconds > 0 else None
    done = 0
    for s in range(args.steps):
        idx = order[s * args.batch:(s + 1) * args.batch]
        real = images[idx].float() / 127.5 - 1.0  # the Java side's p / 127.5 - 1
        d_loss, _, _ = step.d_half(real)
        g_loss = step.g_half(args.batch)
        done = s + 1
        if done % args.progress_every == 0 or done == args.steps:
            elapsed = time.perf_counter() - start
            rate = done / elapsed
            print("pytorch step %d/%d: %.2f steps/s, ETA %.0f s, D loss %.3f, G loss %.3f"
                  % (done, args.steps, rate, (args.steps - done) / rate, d_loss, g_loss), file=sys.stderr, flush=True)
        if deadline is not None and time.perf_counter() >= deadline and done not in export_at:
            export_at.append(done)  # out of time: export the generator as it is now, then stop
        if done in export_at:
            path = args.onnx if export_at == [args.steps] else "%s-%d.onnx" % (args.onnx[:-5] if args.onnx.endswith(".onnx") else args.onnx, done)
            export(step, args.noise_dim, path)
            exported[str(done)] = path
            print("pytorch step %d: exported %s" % (done, path), file=sys.stderr, flush=True)
        if deadline is not None and time.perf_counter() >= deadline:
            print("pytorch: --max-seconds reached after %d steps" % done, file=sys.stderr, flush=True)
            break
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    last = max(int(k) for k in exported) if exported else 0
    print(json.dumps({"steps": done, "seconds": seconds, "cpu_seconds": cpu, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "ema_decay": args.ema_decay, "onnx": exported.get(str(last)),
                      "exported": exported}), flush=True)


def train_for(args, step, images, order):
    """Trains for --train-seconds of training time, exporting every --export-every-seconds of it and at the end.

    The step count is not known in advance, so the order cannot be sized to it. The Java side writes one order, the
    same its own recipes read, long enough for a stated upper bound of steps per second (StudyData.forTime), so both sides
    train on the same images in the same order; a run that outruns the bound starts the order again from its start
    rather than stopping, and since the order is whole epochs every epoch is still a permutation of the images."""
    if order.numel() < args.batch:
        raise SystemExit("--order holds %d indices, fewer than one batch of %d; write it again." % (order.numel(), args.batch))
    every = args.export_every_seconds if args.export_every_seconds > 0 else args.train_seconds
    marks = []
    k = 1
    while k * every < args.train_seconds - 1e-9:
        marks.append(k * every)
        k += 1
    marks.append(args.train_seconds)
    exported, exported_seconds = {}, {}
    offsets = torch.arange(args.batch)
    stem = args.onnx[:-5] if args.onnx.endswith(".onnx") else args.onnx
    trained, done, mark, cycles = 0.0, 0, 0, 0
    cpu_start = time.process_time()
    while trained < args.train_seconds:
        t0 = time.perf_counter()
        idx = order[(offsets + done * args.batch) % order.numel()]
        real = images[idx].float() / 127.5 - 1.0  # the Java side's p / 127.5 - 1
        d_loss, _, _ = step.d_half(real)
        g_loss = step.g_half(args.batch)
        trained += time.perf_counter() - t0
        done += 1
        if (done * args.batch) // order.numel() > cycles:
            cycles = (done * args.batch) // order.numel()
            print("pytorch: the order ran out after %d steps, faster than the Java side's bound; starting it again" % done,
                  file=sys.stderr, flush=True)
        if done % args.progress_every == 0:
            rate = done / trained
            print("pytorch %.2f/%.2f min, step %d: %.2f steps/s, ETA %.0f s, D loss %.3f, G loss %.3f"
                  % (trained / 60, args.train_seconds / 60, done, rate, max(0.0, args.train_seconds - trained), d_loss, g_loss),
                  file=sys.stderr, flush=True)
        if mark < len(marks) and trained >= marks[mark]:
            while mark < len(marks) and trained >= marks[mark]:
                mark += 1  # a step longer than the interval passes several marks: one export stands for them
            path = "%s-%d.onnx" % (stem, done)
            export(step, args.noise_dim, path)  # outside the clock, as the Java side measures outside it
            exported[str(done)] = path
            exported_seconds[str(done)] = trained
            print("pytorch %.2f min, step %d: exported %s" % (trained / 60, done, path), file=sys.stderr, flush=True)
    cpu = time.process_time() - cpu_start
    last = str(done)
    print(json.dumps({"steps": done, "seconds": trained, "cpu_seconds": cpu, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "ema_decay": args.ema_decay, "onnx": exported[last],
                      "exported": exported, "exported_seconds": exported_seconds}), flush=True)


def export(step, noise_dim, path):
    """Exports the published generator (the weight average when on) in inference mode, then returns it to training mode:
    the live generator goes on training, and torch.onnx.export must not record a training-mode BatchNorm. The dummy
    input comes from a private generator so exporting mid-run leaves the training noise stream untouched."""
    published = step.average if step.average is not None else step.g
    if step.average is not None:
        recalibrate(step.average, noise_dim)
    published.eval()
    try:
        with torch.no_grad():
            dummy = torch.randn(2, noise_dim, generator=torch.Generator().manual_seed(0))
            torch.onnx.export(published, dummy, path, input_names=["z"], output_names=["image"],
                              dynamic_axes={"z": {0: "N"}, "image": {0: "N"}}, opset_version=13)
    finally:
        published.train()


def recalibrate(average, noise_dim, batches=8, batch=256):
    """Recomputes the weight average's BatchNorm statistics under its own weights, as the trainer does before it
    samples or exports (GeneratorAverage.recalibrate): the mean over fixed-noise batches of its batch statistics
    (momentum None makes PyTorch keep that cumulative mean)."""
    norms = [m for m in average.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    saved = [m.momentum for m in norms]
    rng = torch.Generator().manual_seed(4)
    average.train()
    with torch.no_grad():
        for m in norms:
            m.reset_running_stats()
            m.momentum = None
        for _ in range(batches):
            average(torch.randn(batch, noise_dim, generator=rng))
    for m, momentum in zip(norms, saved):
        m.momentum = momentum


if __name__ == "__main__":
    main()
