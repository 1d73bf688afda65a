#!/usr/bin/env python3
"""Checks fedit's forward pass, PEFT export and merged export against Hugging Face transformers and peft.

Run for every family fixture and a trained adapter of each by bench/check_with_transformers.sh; alone:
  python bench/compare_with_transformers.py MODEL_DIR [--adapter PEFT_DIR] [--merged MERGED_DIR] [--tokens 16]
(needs torch, transformers and peft; checked with torch 2.13.0+cpu, transformers 5.18.0, peft 0.21.0)

1. Greedy tokens: `jobs/fedit generate --json` (with --adapter when given) against a greedy loop over
   transformers' AutoModelForCausalLM (wrapped in PeftModel.from_pretrained when --adapter is given).
2. With --merged (the output of `jobs/fedit export --merged`): its logits against base + PeftModel's.
Exits 1 on any mismatch.
"""
import argparse
import json
import os
import subprocess
import sys

import torch
from transformers import AutoModelForCausalLM


def fedit_generate(model, adapter, prompt, tokens):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cmd = [os.path.join(root, "jobs", "fedit"), "generate", "--model", model, "--prompt", prompt, "--template", "none",
           "--temperature", "0", "--no-stop-at-eos", "--max-new-tokens", str(tokens), "--json"]
    if adapter:
        cmd += ["--adapter", adapter]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load(model, adapter):
    m = AutoModelForCausalLM.from_pretrained(model, dtype=torch.float32)
    if adapter:
        from peft import PeftModel
        m = PeftModel.from_pretrained(m, adapter)
    return m.eval()


@torch.no_grad()
def greedy(m, prompt_ids, tokens):
    """Greedy continuation (no KV cache) and the smallest top-1 minus top-2 logit margin met on the way: a
    small margin would make a token decision depend on rounding rather than on the forward pass."""
    ids = torch.tensor([prompt_ids])
    margin = float("inf")
    for _ in range(tokens):
        last = m(input_ids=ids).logits[0, -1]
        top2 = last.topk(2).values
        margin = min(margin, (top2[0] - top2[1]).item())
        ids = torch.cat([ids, last.argmax().view(1, 1)], dim=1)
    return ids[0, len(prompt_ids):].tolist(), margin


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--adapter")
    p.add_argument("--merged")
    p.add_argument("--prompt", default="Once upon a time")
    p.add_argument("--tokens", type=int, default=16)
    a = p.parse_args()
    ok = True
    ours = fedit_generate(a.model, a.adapter, a.prompt, a.tokens)
    ref = load(a.model, a.adapter)
    theirs, margin = greedy(ref, ours["prompt_ids"], a.tokens)
    print("prompt ids:         ", ours["prompt_ids"])
    print("fedit greedy:       ", ours["generated_ids"])
    print("transformers greedy:", theirs, "(PeftModel)" if a.adapter else "",
          f"smallest top-2 logit margin {margin:.3f}")
    ok &= ours["generated_ids"] == theirs
    if a.merged:
        with torch.no_grad():
            ids = torch.tensor([ours["prompt_ids"] + ours["generated_ids"]])
            expected = ref(input_ids=ids).logits
            got = load(a.merged, None)(input_ids=ids).logits
        diff = (got - expected).abs().max().item() / max(1.0, expected.abs().max().item())
        print(f"merged vs base + adapter: max relative logit difference {diff:.2e}")
        ok &= diff < 1e-4
    print("OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
