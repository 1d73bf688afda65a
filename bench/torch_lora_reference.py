#!/usr/bin/python3
"""PyTorch reference for io.fedit.bench.TrainingBenchmark: the same Llama (RMSNorm, grouped-query attention with
rotate-half RoPE, SiLU-gated MLP, tied head), frozen float32 base with random N(0, 0.02) weights, LoRA r 8 alpha 16
dropout 0.05 on q and v, sequence 256, token cross-entropy over all positions, backward, clip_grad_norm_(1.0),
AdamW(lr 3e-4). Tries float32 and torch.autocast("cpu", dtype=torch.bfloat16) (the base stays float32, autocast
casts to bfloat16 per op), intra-op thread counts 1 and 2, and prints tokens/s (best, median, min of several runs)
and the matmul GFLOP/s as a share of the same dtype's matmul peak at the model's own shapes and the same thread
count, measured first.
Run with any torch (bench/run_training_bench.sh: PYTHON): python3 bench/torch_lora_reference.py [runs] [shapes,...]
(Debian's python3-torch also needs libopenblas0-pthread)."""
import math, sys, time
import torch
import torch.nn.functional as F

SHAPES = {  # name: dim, hidden, layers, heads, kv heads, vocab, micro batch, steps
    "stories260K": (64, 172, 5, 8, 4, 512, 8, 30),
    "stories15M-shape": (288, 768, 6, 6, 6, 32000, 4, 8),
    "110M-shape": (768, 2048, 12, 12, 12, 32000, 2, 4),
}
SEQ, R, ALPHA, DROPOUT = 256, 8, 16.0, 0.05


class Lora(torch.nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.A = torch.nn.Parameter(torch.empty(R, d_in).uniform_(-1 / math.sqrt(d_in), 1 / math.sqrt(d_in)))
        self.B = torch.nn.Parameter(torch.zeros(d_out, R))
        self.drop = torch.nn.Dropout(DROPOUT)

    def forward(self, x):
        return (self.drop(x) @ self.A.t()) @ self.B.t() * (ALPHA / R)


class Llama(torch.nn.Module):
    def __init__(self, dim, hidden, layers, heads, kv, vocab):
        super().__init__()
        g = lambda *s: torch.randn(*s) * 0.02
        self.heads, self.kv, self.hd = heads, kv, dim // heads
        self.embed = g(vocab, dim)
        self.layers = []
        for _ in range(layers):
            self.layers.append(dict(wq=g(dim, dim).t().contiguous(), wk=g(kv * self.hd, dim).t().contiguous(),
                                    wv=g(kv * self.hd, dim).t().contiguous(), wo=g(dim, dim).t().contiguous(),
                                    w1=g(hidden, dim).t().contiguous(), w3=g(hidden, dim).t().contiguous(),
                                    w2=g(dim, hidden).t().contiguous(), n1=torch.ones(dim), n2=torch.ones(dim)))
        self.loras = torch.nn.ModuleList()
        for _ in range(layers):
            self.loras.append(Lora(dim, dim))
            self.loras.append(Lora(dim, kv * self.hd))
        self.norm = torch.ones(dim)
        half = self.hd // 2
        inv = 1.0 / (10000.0 ** (torch.arange(0, half, dtype=torch.float32) * 2 / self.hd))
        ang = torch.outer(torch.arange(SEQ, dtype=torch.float32), inv)
        self.cos = torch.cat([ang.cos(), ang.cos()], -1)
        self.sin = torch.cat([ang.sin(), ang.sin()], -1)
        self.mask = torch.full((SEQ, SEQ), float("-inf")).triu(1)

    @staticmethod
    def rms(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * w

    def rope(self, x):
        h = x.shape[-1] // 2
        return x * self.cos + torch.cat([-x[..., h:], x[..., :h]], -1) * self.sin

    def forward(self, ids):
        b, t = ids.shape
        x = self.embed[ids]
        rep = self.heads // self.kv
        for i, L in enumerate(self.layers):
            h = self.rms(x, L["n1"])
            q = (h @ L["wq"] + self.loras[2 * i](h)).view(b, t, self.heads, self.hd).transpose(1, 2)
            k = (h @ L["wk"]).view(b, t, self.kv, self.hd).transpose(1, 2)
            v = (h @ L["wv"] + self.loras[2 * i + 1](h)).view(b, t, self.kv, self.hd).transpose(1, 2)
            q, k = self.rope(q), self.rope(k)
            s = q.reshape(b, self.kv, rep * t, self.hd) @ k.transpose(2, 3) / math.sqrt(self.hd)
            s = (s.view(b, self.kv, rep, t, t) + self.mask).view(b, self.kv, rep * t, t)
            o = (s.softmax(-1) @ v).reshape(b, self.heads, t, self.hd).transpose(1, 2).reshape(b, t, -1)
            x = x + o @ L["wo"]
            h = self.rms(x, L["n2"])
            x = x + (F.silu(h @ L["w1"]) * (h @ L["w3"])) @ L["w2"]
        return self.rms(x, self.norm) @ self.embed.t()


def peak(name, dtype, threads):
    """Best matmul GFLOP/s of dtype over the model's projection shapes (rows = micro batch x SEQ)."""
    dim, hidden, layers, heads, kv, vocab, micro, steps = SHAPES[name]
    torch.set_num_threads(threads)
    rows, hd = micro * SEQ, dim // heads
    best = 0.0
    for k, n in ((dim, dim), (dim, kv * hd), (dim, hidden), (hidden, dim), (dim, vocab)):
        x, w = torch.randn(rows, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
        x @ w
        reps = max(1, min(50, int(2e10 / (2 * rows * k * n))))
        t0 = time.perf_counter()
        for _ in range(reps):
            x @ w
        g = 2 * rows * k * n * reps / (time.perf_counter() - t0) / 1e9
        best = max(best, g)
        print("PEAK torch %s %s threads=%d [%d,%d]x[%d,%d] %.1f GFLOP/s" % (name, DTYPES[dtype], threads, rows, k, k, n, g))
    print("PEAK torch %s %s threads=%d best=%.1f GFLOP/s" % (name, DTYPES[dtype], threads, best), flush=True)
    return best


def flop_per_token(name):
    """Matmul FLOP per trained token with a frozen base: forward plus the backward's input gradients."""
    dim, hidden, layers, heads, kv, vocab, micro, steps = SHAPES[name]
    kvd = kv * (dim // heads)
    per_layer = 2 * (dim * dim + 2 * dim * kvd + dim * dim + 3 * dim * hidden) + 4 * SEQ * dim
    return 2 * (layers * per_layer + 2 * dim * vocab)


DTYPES = {torch.float32: "float32", torch.bfloat16: "bf16_autocast"}


def bench(name, dtype, threads, runs, peak_gflops):
    dim, hidden, layers, heads, kv, vocab, micro, steps = SHAPES[name]
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Llama(dim, hidden, layers, heads, kv, vocab)
    model.train()
    data = torch.randint(0, vocab, (micro * (steps + 2), SEQ + 1))
    rates = []
    for r in range(runs):
        opt = torch.optim.AdamW(model.loras.parameters(), lr=3e-4, weight_decay=0.0)
        t0 = None
        for s in range(steps + 2):
            if s == 2:
                t0 = time.perf_counter()
            batch = data[s * micro:(s + 1) * micro]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == torch.bfloat16):
                logits = model(batch[:, :-1])
            loss = F.cross_entropy(logits.float().reshape(-1, vocab), batch[:, 1:].reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.loras.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
        rates.append(steps * micro * SEQ / (time.perf_counter() - t0))
    rs = sorted(rates)
    gflops = rs[-1] * flop_per_token(name) / 1e9
    print("RESULT torch %s %s threads=%d batch=%d seq=%d best=%.0f median=%.0f min=%.0f tok/s runs=%s gflops=%.1f "
          "share_of_%s_peak=%.0f%%" % (name, DTYPES[dtype], threads, micro, SEQ, rs[-1], rs[len(rs) // 2], rs[0],
                                       [round(x) for x in rates], gflops, DTYPES[dtype], 100 * gflops / peak_gflops),
          flush=True)


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(SHAPES)
    print("torch", torch.__version__, "cores", torch.get_num_threads(), flush=True)
    for name in names:
        for dtype in DTYPES:
            for th in (1, 2):
                bench(name, dtype, th, runs, peak(name, dtype, th))
