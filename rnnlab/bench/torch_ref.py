"""PyTorch reference for `rnnlab bench`.

Times, on the CPU, the same work as rnnlab's benchmark:

  * a training step of the primer's CTRNN (forward over seq steps, mean
    cross-entropy over all steps, backward, Adam lr 1e-3),
        h_t = relu((1-a) h_{t-1} + a (x_t W_ir + h_{t-1} W_rr + b_rr)),
        o_t = h_t W_ro + b_ro,
    on batches shaped like PerceptualDecisionMaking-v0's (3 inputs, 3
    outputs; trials of 22 steps: fixation, 20 noisy stimulus steps, decision);
  * a fixed-point search step: speed = mean_d (h - F(h))^2 per candidate,
    mean over candidates, backward, Adam (lr 0.01) on the candidates;
  * the training step of every cell the job lists ("cells": cell, hidden,
    batch, seq), same loss, optimiser and batches:
      - ctrnn: the CTRNN above;
      - ei: nn-brain's EI_RNN as nn-brain writes it (EIRecLinear, EIRNN,
        Net below): alpha 0.2 (dt 20, tau 100), sigma_rec 0.15, 80%
        excitatory units, recurrent weights |W| * mask, read-out from the
        excitatory units;
      - gru, lstm: torch.nn.GRU / torch.nn.LSTM and an nn.Linear read-out;
      - ugrnn: the update-gate RNN as rnnlab's cell (UGRNNNet below: PyTorch
        has no such layer, so its step is a Python loop, as the CTRNN's);
      - leaky: Yang et al. 2019's LeakyRNNCell (LeakyNet below): softplus,
        alpha 0.2, sigma_rec 0.05 inside the activation;
  * optionally ("multitask": hidden, batch, seq, inputs, outputs) the
    training step of Yang et al. 2019's network as neurogym's yang19
    example trains it (a CTRNN, 53 inputs, 17 outputs), on random batches
    of that shape made in advance: making data is not timed;
  * optionally the tutorial's whole compute (N training steps then K
    fixed-point steps) and scaling sweeps (including "cells" rows).

Reads one JSON object (the job) from argv[1] and prints one JSON object on
stdout. Times are wall-clock milliseconds per step, one value per repeat.
"""

import json
import math
import resource
import sys
import time

import numpy as np
import torch


class CTRNN(torch.nn.Module):
    def __init__(self, n_in, n_hid, n_out, alpha):
        super().__init__()
        self.alpha = alpha
        self.w_ir = torch.nn.Parameter(torch.randn(n_in, n_hid) / np.sqrt(n_in))
        self.w_rr = torch.nn.Parameter(torch.randn(n_hid, n_hid) / np.sqrt(n_hid))
        self.b_rr = torch.nn.Parameter(torch.zeros(n_hid))
        self.w_ro = torch.nn.Parameter(torch.randn(n_hid, n_out) / np.sqrt(n_hid))
        self.b_ro = torch.nn.Parameter(torch.zeros(n_out))

    def cell(self, x, h):
        a = self.alpha
        return torch.relu((1 - a) * h + a * (x @ self.w_ir + h @ self.w_rr + self.b_rr))

    def forward(self, xs):
        h = torch.zeros(xs.shape[1], self.w_rr.shape[0])
        outs = []
        for t in range(xs.shape[0]):
            h = self.cell(xs[t], h)
            outs.append(h)
        hs = torch.stack(outs)
        return hs @ self.w_ro + self.b_ro


# nn-brain's EI_RNN (gyyang/nn-brain, EI_RNN.ipynb), unchanged but for the
# constructor arguments and a Net that returns the logits first.
class EIRecLinear(torch.nn.Module):
    """Recurrent E-I linear layer: weight |W| * mask, Dale's law."""

    def __init__(self, hidden_size, e_prop, bias=True):
        super().__init__()
        self.hidden_size = hidden_size
        self.e_prop = e_prop
        self.e_size = int(e_prop * hidden_size)
        self.i_size = hidden_size - self.e_size
        self.weight = torch.nn.Parameter(torch.Tensor(hidden_size, hidden_size))
        mask = np.tile([1] * self.e_size + [-1] * self.i_size, (hidden_size, 1))
        np.fill_diagonal(mask, 0)
        self.mask = torch.tensor(mask, dtype=torch.float32)
        if bias:
            self.bias = torch.nn.Parameter(torch.Tensor(hidden_size))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        torch.nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        # Scale E weight by E-I ratio
        self.weight.data[:, : self.e_size] /= self.e_size / self.i_size
        if self.bias is not None:
            fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in)
            torch.nn.init.uniform_(self.bias, -bound, bound)

    def effective_weight(self):
        return torch.abs(self.weight) * self.mask

    def forward(self, input):
        # weight is non-negative
        return torch.nn.functional.linear(input, self.effective_weight(), self.bias)


class EIRNN(torch.nn.Module):
    """E-I RNN: state s, rate relu(s), Euler step alpha = dt/tau, noise."""

    def __init__(self, input_size, hidden_size, dt=None, e_prop=0.8, sigma_rec=0):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.e_size = int(hidden_size * e_prop)
        self.i_size = hidden_size - self.e_size
        self.num_layers = 1
        self.tau = 100
        if dt is None:
            alpha = 1
        else:
            alpha = dt / self.tau
        self.alpha = alpha
        self.oneminusalpha = 1 - alpha
        # Recurrent noise
        self._sigma_rec = np.sqrt(2 * alpha) * sigma_rec
        self.input2h = torch.nn.Linear(input_size, hidden_size)
        self.h2h = EIRecLinear(hidden_size, e_prop=e_prop)

    def init_hidden(self, input):
        batch_size = input.shape[1]
        return (torch.zeros(batch_size, self.hidden_size), torch.zeros(batch_size, self.hidden_size))

    def recurrence(self, input, hidden):
        state, output = hidden
        total_input = self.input2h(input) + self.h2h(output)
        state = state * self.oneminusalpha + total_input * self.alpha
        state += self._sigma_rec * torch.randn_like(state)
        output = torch.relu(state)
        return state, output

    def forward(self, input, hidden=None):
        if hidden is None:
            hidden = self.init_hidden(input)
        output = []
        for i in range(input.size(0)):
            hidden = self.recurrence(input[i], hidden)
            output.append(hidden[1])
        output = torch.stack(output, dim=0)
        return output, hidden


class EINet(torch.nn.Module):
    """nn-brain's Net: an EIRNN and a linear read-out of the E units."""

    def __init__(self, input_size, hidden_size, output_size, **kwargs):
        super().__init__()
        self.rnn = EIRNN(input_size, hidden_size, **kwargs)
        self.fc = torch.nn.Linear(self.rnn.e_size, output_size)

    def forward(self, x):
        rnn_activity, _ = self.rnn(x)
        rnn_e = rnn_activity[:, :, : self.rnn.e_size]
        out = self.fc(rnn_e)
        return out, rnn_activity


class GatedNet(torch.nn.Module):
    """torch.nn.GRU or torch.nn.LSTM and an nn.Linear read-out."""

    def __init__(self, kind, n_in, n_hid, n_out):
        super().__init__()
        rnn = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind]
        self.rnn = rnn(n_in, n_hid)
        self.fc = torch.nn.Linear(n_hid, n_out)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.fc(h)


class UGRNNNet(torch.nn.Module):
    """The update-gate RNN of Collins et al. (2017) as rnnlab's cell, and an
    nn.Linear read-out: with a = x W_ih + b_ih + h W_hh + b_hh (columns c
    then g), c = tanh(a_c), g = sigmoid(a_g), h' = g h + (1 - g) c."""

    def __init__(self, n_in, n_hid, n_out):
        super().__init__()
        self.ih = torch.nn.Linear(n_in, 2 * n_hid)
        self.hh = torch.nn.Linear(n_hid, 2 * n_hid)
        self.fc = torch.nn.Linear(n_hid, n_out)
        self.n_hid = n_hid

    def forward(self, xs):
        h = torch.zeros(xs.shape[1], self.n_hid)
        xa = self.ih(xs)
        outs = []
        for t in range(xs.shape[0]):
            a = xa[t] + self.hh(h)
            c, g = torch.tanh(a[:, : self.n_hid]), torch.sigmoid(a[:, self.n_hid :])
            h = g * h + (1 - g) * c
            outs.append(h)
        return self.fc(torch.stack(outs))


class LeakyNet(torch.nn.Module):
    """Yang et al. 2019's LeakyRNNCell (gyyang/multitask network.py) and its
    read-out: r' = (1-a) r + a softplus(x W_ir + r W_rr + b + xi), xi with
    standard deviation sqrt(2/a) sigma_rec, r starting at 0; 'diag' W_rr."""

    def __init__(self, n_in, n_hid, n_out, alpha, sigma_rec):
        super().__init__()
        self.alpha = alpha
        self.sigma = np.sqrt(2 / alpha) * sigma_rec
        self.w_ir = torch.nn.Parameter(torch.randn(n_in, n_hid) / np.sqrt(n_in))
        self.w_rr = torch.nn.Parameter(0.5 * torch.eye(n_hid))
        self.b_rr = torch.nn.Parameter(torch.zeros(n_hid))
        self.fc = torch.nn.Linear(n_hid, n_out)

    def forward(self, xs):
        a = self.alpha
        r = torch.zeros(xs.shape[1], self.w_rr.shape[0])
        outs = []
        for t in range(xs.shape[0]):
            z = xs[t] @ self.w_ir + r @ self.w_rr + self.b_rr
            z = z + self.sigma * torch.randn_like(z)
            r = (1 - a) * r + a * torch.nn.functional.softplus(z)
            outs.append(r)
        return self.fc(torch.stack(outs))


def make_net(cell, hidden):
    """The network of rnnlab's bench.CellConfig(cell, hidden)."""
    if cell == "ctrnn":
        return CTRNN(3, hidden, 3, 1.0)
    if cell == "ei":
        return EINet(3, hidden, 3, dt=20, e_prop=0.8, sigma_rec=0.15)
    if cell in ("gru", "lstm"):
        return GatedNet(cell, 3, hidden, 3)
    if cell == "ugrnn":
        return UGRNNNet(3, hidden, 3)
    if cell == "leaky":
        return LeakyNet(3, hidden, 3, 0.2, 0.05)
    raise ValueError("unknown cell %r" % cell)


def task_batch(rng, seq, batch):
    """Batches shaped like PerceptualDecisionMaking-v0 at dt = 100 ms."""
    x = np.zeros((seq, batch, 3), np.float32)
    y = np.zeros((seq, batch), np.int64)
    for b in range(batch):
        t = 0
        while t < seq:
            g = rng.integers(2)
            coh = rng.choice([0, 6.4, 12.8, 25.6, 51.2])
            for k in range(22):
                if t >= seq:
                    break
                if k < 21:
                    x[t, b, 0] = 1
                if 1 <= k <= 20:
                    m = coh / 200
                    x[t, b, 1] = 0.5 + (m if g == 0 else -m) + 0.1 * rng.standard_normal()
                    x[t, b, 2] = 0.5 + (-m if g == 0 else m) + 0.1 * rng.standard_normal()
                if k == 21:
                    y[t, b] = g + 1
                t += 1
    return torch.from_numpy(x), torch.from_numpy(y)


def train_steps(hidden, batch, seq, steps, repeats, rng, warmup=2, cell="ctrnn"):
    net = make_net(cell, hidden)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    data = [task_batch(rng, seq, batch) for _ in range(8)]

    def step(i):
        x, y = data[i % len(data)]
        opt.zero_grad()
        out = net(x)
        if isinstance(out, tuple):
            out = out[0]
        loss = loss_fn(out.reshape(-1, 3), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss

    for i in range(warmup):
        step(i)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for i in range(steps):
            step(i)
        times.append((time.perf_counter() - t0) * 1000 / steps)
    return times, net


def multitask_steps(mt, steps, repeats, warmup=2):
    """Training steps of Yang et al. 2019's network as neurogym's yang19
    example trains it (rnnlab's bench.MultitaskRow): a ReLU CTRNN, alpha 1,
    cross-entropy, Adam 1e-3, on random batches of the same shape made in
    advance (neurogym cannot run here; making the data is not timed)."""
    n_in, hid, n_out = mt["inputs"], mt["hidden"], mt["outputs"]
    seq, batch = mt["seq"], mt["batch"]
    net = CTRNN(n_in, hid, n_out, 1.0)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(12)
    data = [(torch.rand(seq, batch, n_in, generator=g), torch.randint(0, n_out, (seq, batch), generator=g)) for _ in range(8)]

    def step(i):
        x, y = data[i % len(data)]
        opt.zero_grad()
        loss = loss_fn(net(x).reshape(-1, n_out), y.reshape(-1))
        loss.backward()
        opt.step()

    for i in range(warmup):
        step(i)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for i in range(steps):
            step(i)
        times.append((time.perf_counter() - t0) * 1000 / steps)
    return times


def fp_steps(net, n, steps, repeats, warmup=2):
    hid = net.w_rr.shape[0]
    u = torch.tensor([1.0, 0.5, 0.5])
    with torch.no_grad():
        cands = torch.relu(torch.randn(n, hid))
    for p in net.parameters():
        p.requires_grad_(False)
    h = cands.clone().requires_grad_(True)
    opt = torch.optim.Adam([h], lr=0.01)

    def step():
        opt.zero_grad()
        r = h - net.cell(u, h)
        speed = (r * r).mean(dim=1)
        loss = speed.mean()
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - t0) * 1000 / steps)
    return times


def main():
    job = json.loads(sys.argv[1])
    if job.get("threads"):
        torch.set_num_threads(job["threads"])
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    reps, steps, fsteps = job["repeats"], job["steps"], job["fp_steps"]
    out = {
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    out["train_step_ms"], net = train_steps(64, 16, 100, steps, reps, rng)
    out["fp_step_ms"] = fp_steps(net, 2200, fsteps, reps)
    rows = []
    for cfg in job.get("cells") or []:
        t, _ = train_steps(cfg["hidden"], cfg["batch"], cfg["seq"], steps, reps, rng, cell=cfg["cell"])
        rows.append(dict(cfg, ms=t))
    out["cells"] = rows
    mt = job.get("multitask")
    if mt:
        out["multitask_ms"] = multitask_steps(mt, steps, reps)
    pl = job.get("pipeline")
    if pl:
        t0 = time.perf_counter()
        _, net = train_steps(64, 16, 100, pl["train_steps"], 1, rng, warmup=0)
        t1 = time.perf_counter()
        fp_steps(net, 2200, max(1, pl["fp_steps"]), 1, warmup=0)
        t2 = time.perf_counter()
        out["pipeline"] = {"train_s": t1 - t0, "fixed_points_s": t2 - t1, "total_s": t2 - t0}
    sc = job.get("scaling")
    if sc:
        rows = []
        for cfg in sc["train"]:
            t, _ = train_steps(cfg["hidden"], cfg["batch"], cfg["seq"], sc["steps"], sc["repeats"], rng)
            rows.append(dict(cfg, ms=t))
        out["scaling_train"] = rows
        rows = []
        for n in sc["candidates"]:
            netn = CTRNN(3, 64, 3, 1.0)
            rows.append({"candidates": n, "ms": fp_steps(netn, n, sc["fp_steps"], sc["repeats"])})
        out["scaling_fp"] = rows
        rows = []
        for cfg in sc.get("cells") or []:
            t, _ = train_steps(cfg["hidden"], cfg["batch"], cfg["seq"], sc["steps"], sc["repeats"], rng, cell=cfg["cell"])
            rows.append(dict(cfg, ms=t))
        out["scaling_cells"] = rows
    out["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
