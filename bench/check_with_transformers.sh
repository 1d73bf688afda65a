#!/usr/bin/env bash
# Checks fedit against Hugging Face transformers and peft (issue 9), offline:
#  1. every family fixture (src/test/java/io/fedit/testing/FamilyFixtures.java: llama3, llama2-linear,
#     llama-dynamic, mistral, qwen2; each in F32 and as BF16 shards) and the shipped stories260K: greedy tokens
#     of `jobs/fedit generate --json` against a greedy loop over transformers' AutoModelForCausalLM;
#  2. per F32 model: one short training round (cutoff_len 48: the mistral fixture's sliding window) with LoRA
#     on all seven projections, its PEFT export loaded with
#     peft's PeftModel.from_pretrained (greedy tokens again) and its merged export (`export --merged`) loaded by
#     transformers, whose logits must equal base + PeftModel's.
# Needs a python with torch, transformers and peft (PYTHON, default python3); prints their versions and the CPU.
# Usage: PYTHON=/path/to/venv/bin/python bench/check_with_transformers.sh [OUT_DIR]   (exit 1 on any mismatch)
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
out=${1:-target/hf-check}
if [ -n "$(ls -A "$out" 2>/dev/null)" ] && [ ! -f "$out/.check_with_transformers" ]; then
  echo "check_with_transformers: $out is not empty and not an earlier output of this script; name another" >&2
  exit 2
fi
rm -rf "$out"
mkdir -p "$out"
touch "$out/.check_with_transformers"
date -u +"%Y-%m-%dT%H:%M:%SZ"
lscpu | grep -m1 "Model name"
$py -c 'import torch, transformers, peft; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)'
mvn -q -o -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
java -cp "target/test-classes:target/classes:$(cat target/test-cp.txt)" io.fedit.testing.FamilyFixtures "$out/models" >/dev/null

fail=0
models=(data/stories260K-hf "$out"/models/*)
for m in "${models[@]}"; do
  echo "== base model $(basename "$m")"
  $py bench/compare_with_transformers.py "$m" 2>/dev/null || fail=1
done

modules='[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]'
for m in "${models[@]}"; do
  case "$m" in *-bf16-sharded) continue ;; esac
  name=$(basename "$m")
  run=(--set model.path="$m" --set output.dir="$out/runs" --set run.name="$name")
  echo "== trained adapter on $name (1 round, 3 steps per client, LoRA on $modules)"
  jobs/fedit train "${run[@]}" --set federation.rounds=1 --set train.max_steps=3 --set train.learning_rate=0.02 \
    --set eval.every_rounds=0 --set data.cutoff_len=48 --set lora.target_modules="$modules" >"$out/$name-train.log" 2>&1 \
    || { tail -20 "$out/$name-train.log"; fail=1; continue; }
  jobs/fedit export "${run[@]}" --round 1 --out "$out/$name-peft" >/dev/null 2>&1 \
    && jobs/fedit export "${run[@]}" --round 1 --merged --out "$out/$name-merged" >/dev/null 2>&1 \
    || { echo "export of $name failed"; fail=1; continue; }
  $py bench/compare_with_transformers.py "$m" --adapter "$out/$name-peft" --merged "$out/$name-merged" 2>/dev/null || fail=1
done
echo "check_with_transformers: $([ $fail = 0 ] && echo ALL OK || echo MISMATCH)"
exit $fail
