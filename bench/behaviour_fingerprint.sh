#!/usr/bin/env bash
# Behaviour fingerprint for refactors: runs short federated jobs that touch every strategy family (FedAvg,
# SCAFFOLD, FedProx under DP, FedAdam with a robust rule and stored client updates) and prints one digest line
# per committed file or table. Run it before and after a change that must not change behaviour and diff the
# outputs: adapters, losses, metrics, ledgers and per-client state must be identical. Timing columns (wall
# clock, timestamps) and files that record them (manifests, config.yaml, report.html) are left out.
#   PYTHON=venv/bin/python bench/behaviour_fingerprint.sh OUT_DIR > fingerprint.txt   (python needs pyarrow)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: bench/behaviour_fingerprint.sh OUT_DIR}"
py="${PYTHON:-python3}"
mkdir -p "$out"
common=(--set output.dir="$out" --set federation.rounds=2 --set train.max_steps=2
        --set eval.max_new_tokens=4 --set eval.vicuna_path= --set eval.every_rounds=1)
run() { local name=$1; shift
  "$root/jobs/fedit" train "${common[@]}" --set run.name="$name" "$@" > "$out/$name.log" 2>&1 \
    || { echo "run $name failed: see $out/$name.log" >&2; exit 1; }
}
run fedavg
run scaffold --set federation.strategy=scaffold
run fedprox-dp --set federation.strategy=fedprox --set privacy.enabled=true --set privacy.noise_multiplier=0.5
run fedadam-trimmed --set federation.strategy=fedadam --set federation.aggregation=trimmed_mean \
    --set federation.trim_beta=0.2 --set checkpoint.keep_client_updates=true
"$py" "$root/bench/table_digest.py" "$out"
