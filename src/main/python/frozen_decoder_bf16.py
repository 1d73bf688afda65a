"""The frozen Llama-family decoder in bfloat16, as a TorchScript module for DJL (io.fedit.model.ScriptedDecoder).

Why: DJL 0.36's PyTorch JNI cannot create a bfloat16 tensor (docs/PLATFORM_NOTES.md pitfall 6), but a TorchScript
module can compute in bfloat16 inside libtorch with float32 tensors crossing the boundary. The whole frozen
forward up to the logits runs inside, so bfloat16 work is not cut into pieces by casts at every op.

Contract (everything the family decides comes from Java as data; nothing is re-derived here):
  set_weights(embed (V,H), head_t (H,V), final_norm (H), norms [2L: attn, mlp], w [7L: (in,out)],
              bias [7L: (out) or empty], dims (5,) int64 = [layers, heads, kv heads, head dim, bf16],
              eps (0-d))
      stores copies of the embedding, head and projection weights in the compute dtype (bf16 = 1:
      bfloat16; 0: float32, the same script without bfloat16, for benchmarks), float32 copies of norms and
      biases; returns the number of layers.
  forward(ids (B,T) int64, cos (T,D) float32, sin (T,D) float32, lora_a [7L: (in,r) float32 or empty],
          lora_b [7L: (r,out) float32 or empty], drop [7L: dropout mask (B,T,in) float32 or empty],
          scaling (0-d) float32) -> logits (B,T,V) float32
  decode(ids, cos, sin, lora_a, lora_b, drop, scaling as forward (cos/sin: rows of the new positions),
         past [2L: k_0, v_0, ... (B,Hkv,S0,D) float32, or one empty tensor at the start])
      -> [last position's logits (B,V) float32, k_0, v_0, ... of all S0+T positions]: generation's KV cache.
  matmul_prepare(x (n,k) float32, w (k,m) float32), then matmul_once(any) -> (1,) float32: one bfloat16
      matmul per call, for benchmarks (io.fedit.bench.MatmulPeak), timed from Java.
  Projection order per layer: q, k, v, o, gate, up, down (io.fedit.model.Projection). cos/sin come from
  Java's RoPE tables (rope_scaling applied there).
  Precision, as torch.autocast(bfloat16) places it: every matmul of the frozen base (projections, attention
  scores and mixing, the output head) takes bfloat16 inputs; the residual stream, RMSNorm, RoPE, the masked
  softmax, SiLU gating, biases, the logits and the LoRA branch (a rank-r side path, cheap in float32) are
  float32. Measured on the shipped model: a bfloat16 residual stream and branch made LoRA gradients deviate
  from float32 by up to 7% (worst factor); this placement keeps them near 1%. Gradients reach the float32
  LoRA masters through libtorch autograd (the calling thread's grad mode).

Regenerate (torch 1.13 from Debian is enough; DJL's libtorch 2.7.1 loads the result):
  /usr/bin/python3 src/main/python/frozen_decoder_bf16.py src/main/resources/io/fedit/model/frozen_decoder_bf16.pt
"""
import sys
from typing import List

import torch
from torch import Tensor



class FrozenDecoderBf16(torch.nn.Module):
    norms: List[Tensor]
    w: List[Tensor]
    bias: List[Tensor]
    dims: List[int]
    compute: torch.dtype

    def __init__(self):
        super().__init__()
        self.compute = torch.bfloat16
        self.embed = torch.empty(0, dtype=torch.bfloat16)
        self.head_t = torch.empty(0, dtype=torch.bfloat16)
        self.final_norm = torch.empty(0)
        self.norms = []
        self.w = []
        self.bias = []
        self.dims = [0, 0, 0, 0, 1]
        self.bench_x = torch.empty(0, dtype=torch.bfloat16)
        self.bench_w = torch.empty(0, dtype=torch.bfloat16)
        self.eps = 1e-5

    @torch.jit.export
    def set_weights(self, embed: Tensor, head_t: Tensor, final_norm: Tensor, norms: List[Tensor],
                    w: List[Tensor], bias: List[Tensor], dims: Tensor, eps: Tensor) -> Tensor:
        self.compute = torch.bfloat16 if int(dims[4]) == 1 else torch.float32
        with torch.no_grad():
            # copies (copy=True), never aliases: DJL frees the float32 inputs after this call
            self.embed = embed.to(self.compute, False, True)
            self.head_t = head_t.to(self.compute, False, True)
            self.final_norm = final_norm.float().clone()
            self.norms = [n.float().clone() for n in norms]
            self.w = [x.to(self.compute, False, True) for x in w]
            self.bias = [x.float().clone() for x in bias]
        self.dims = [int(dims[0]), int(dims[1]), int(dims[2]), int(dims[3]), int(dims[4])]
        self.eps = float(eps)
        return dims[0:1].clone()

    @torch.jit.export
    def matmul_prepare(self, x: Tensor, w: Tensor) -> Tensor:
        """For benchmarks: keeps bfloat16 copies of x (n,k) and w (k,m) for matmul_once."""
        self.bench_x = x.to(torch.bfloat16)
        self.bench_w = w.to(torch.bfloat16)
        return torch.zeros(1)

    @torch.jit.export
    def matmul_once(self, unused: Tensor) -> Tensor:
        """For benchmarks: one bfloat16 product of the prepared operands (timed from Java, one call each)."""
        return torch.matmul(self.bench_x, self.bench_w)[0, 0:1].float()

    def rms_norm(self, x: Tensor, weight: Tensor) -> Tensor:
        """float32 x (..., H) -> normalised and scaled, bfloat16 (the next matmul's input)."""
        normed = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return (normed * weight).to(self.compute)

    def proj(self, x: Tensor, i: int, lora_a: List[Tensor], lora_b: List[Tensor], drop: List[Tensor],
             scaling: Tensor) -> Tensor:
        """bfloat16 x (..., in) -> float32 (..., out): base matmul in bfloat16, bias and LoRA branch in float32."""
        y = torch.matmul(x, self.w[i]).float()
        if self.bias[i].numel() > 0:
            y = y + self.bias[i]
        a = lora_a[i]
        if a.numel() > 0:
            h = x.float()
            if drop[i].numel() > 0:
                h = h * drop[i]
            y = y + torch.matmul(torch.matmul(h, a), lora_b[i]) * scaling
        return y

    def rope(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        half = x.size(-1) // 2
        rotated = torch.cat((-x[..., half:], x[..., :half]), -1)
        return x * cos + rotated * sin

    def decoder(self, ids: Tensor, cos: Tensor, sin: Tensor, lora_a: List[Tensor], lora_b: List[Tensor],
                drop: List[Tensor], scaling: Tensor, past: List[Tensor], present: List[Tensor]) -> Tensor:
        """ids (B,T) at positions S0..S0+T-1 -> final hidden states (B,T,H) float32. past: the rotated keys and
        values of positions 0..S0-1, [k_0, v_0, k_1, ...] (B,Hkv,S0,D) float32, or [empty] when S0 = 0;
        present receives the keys and values of all S = S0+T positions."""
        n_layers, hq, hkv, d = self.dims[0], self.dims[1], self.dims[2], self.dims[3]
        rep = hq // hkv
        b, t = ids.size(0), ids.size(1)
        has_past = past[0].numel() > 0
        s = t + (past[0].size(2) if has_past else 0)
        x = self.embed[ids.long()].float()  # (B, T, H) residual stream, float32
        # (T, S) float32: new token i (position s-t+i) sees positions <= s-t+i
        mask = torch.triu(torch.full((t, s), float("-inf"), device=ids.device), 1 + s - t)
        scale = 1.0 / (d ** 0.5)
        for layer in range(n_layers):
            base = layer * 7
            h = self.rms_norm(x, self.norms[2 * layer])
            q = self.proj(h, base + 0, lora_a, lora_b, drop, scaling).view(b, t, hq, d).transpose(1, 2)
            k = self.proj(h, base + 1, lora_a, lora_b, drop, scaling).view(b, t, hkv, d).transpose(1, 2)
            v = self.proj(h, base + 2, lora_a, lora_b, drop, scaling).view(b, t, hkv, d).transpose(1, 2)
            q = self.rope(q, cos, sin).to(self.compute)  # (B, Hq, T, D)
            k = self.rope(k, cos, sin)  # (B, Hkv, T, D) float32
            if has_past:
                k = torch.cat((past[2 * layer], k), 2)  # (B, Hkv, S, D)
                v = torch.cat((past[2 * layer + 1], v), 2)
            present.append(k)
            present.append(v)
            # query heads g*rep .. g*rep+rep-1 share KV head g: fold them into the row axis
            k_t = k.to(self.compute).transpose(2, 3)  # (B, Hkv, D, S)
            scores = torch.matmul(q.reshape(b, hkv, rep * t, d), k_t).float() * scale  # (B, Hkv, rep*T, S)
            scores = (scores.view(b, hkv, rep, t, s) + mask).view(b, hkv, rep * t, s)
            att = torch.matmul(torch.softmax(scores, -1).to(self.compute), v.to(self.compute))  # (B, Hkv, rep*T, D)
            att = att.reshape(b, hq, t, d).transpose(1, 2).reshape(b, t, hq * d)
            x = x + self.proj(att, base + 3, lora_a, lora_b, drop, scaling)
            h = self.rms_norm(x, self.norms[2 * layer + 1])
            gate = self.proj(h, base + 4, lora_a, lora_b, drop, scaling)
            up = self.proj(h, base + 5, lora_a, lora_b, drop, scaling)
            act = (torch.nn.functional.silu(gate) * up).to(self.compute)
            x = x + self.proj(act, base + 6, lora_a, lora_b, drop, scaling)
        return x

    def logits(self, x: Tensor) -> Tensor:
        return torch.matmul(self.rms_norm(x, self.final_norm), self.head_t).float()

    def forward(self, ids: Tensor, cos: Tensor, sin: Tensor, lora_a: List[Tensor], lora_b: List[Tensor],
                drop: List[Tensor], scaling: Tensor) -> Tensor:
        present: List[Tensor] = []
        return self.logits(self.decoder(ids, cos, sin, lora_a, lora_b, drop, scaling, [torch.empty(0)], present))

    @torch.jit.export
    def decode(self, ids: Tensor, cos: Tensor, sin: Tensor, lora_a: List[Tensor], lora_b: List[Tensor],
               drop: List[Tensor], scaling: Tensor, past: List[Tensor]) -> List[Tensor]:
        present: List[Tensor] = []
        x = self.decoder(ids, cos, sin, lora_a, lora_b, drop, scaling, past, present)
        return [self.logits(x[:, -1, :])] + present


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "frozen_decoder_bf16.pt"
    torch.jit.script(FrozenDecoderBf16()).save(out)
    print("wrote", out)
