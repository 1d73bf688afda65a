#!/usr/bin/env bash
# Strategy, robust-rule and DP comparison (issue 10 section 4, docs/EXPERIMENTS.md): short federated runs that
# differ in one setting each, all from the same seed (same partition, same sampled clients), evaluated on 500
# records held out of Dolly's train split (never trained on) after the last round.
# Usage: bench/compare_strategies.sh OUT_DIR GROUP...   GROUP: strategies-0.5 strategies-0.1 dp robust
# Each run's log is OUT_DIR/NAME.log; a run that already finished is kept (train resumes/skips committed rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "$1"); shift
mkdir -p "$out"
common=(--set output.dir="$out" --set federation.rounds=10 --set train.max_steps=3
        --set eval.holdout_records=500 --set eval.every_rounds=10 --set eval.max_new_tokens=0 --set eval.vicuna_path=)
echo "$(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # NAME SETTINGS...
  local name=$1; shift
  echo "$(date -u +%T) run $name: $*"
  jobs/fedit train --set run.name="$name" "${common[@]}" "$@" > "$out/$name.log" 2>&1 \
    || { echo "run $name failed (exit $?), see $out/$name.log"; tail -5 "$out/$name.log"; }
}

strategies() { # ALPHA
  local a=$1 p=(--set partition.alpha="$1")
  # alpha 0.1 leaves some of 100 clients without records in most draws: require 1 (the default 10 cannot be met)
  [ "$a" = 0.1 ] && p+=(--set partition.min_records_per_client=1)
  run "fedavg-a$a"   "${p[@]}" --set federation.strategy=fedavg
  run "fedavgm-a$a"  "${p[@]}" --set federation.strategy=fedavgm
  # FedAdam's step is about server_lr per coordinate; 1e-3 is the size of one round's mean client delta per
  # coordinate here (update norm ~0.05-0.2 over ~10^4 LoRA values), not a tuned value
  run "fedadam-a$a"  "${p[@]}" --set federation.strategy=fedadam --set federation.server_lr=1e-3
  run "fedprox-a$a"  "${p[@]}" --set federation.strategy=fedprox --set federation.prox_mu=0.01
  run "scaffold-a$a" "${p[@]}" --set federation.strategy=scaffold
  run "ffa-lora-a$a" "${p[@]}" --set federation.strategy=fedavg --set federation.ffa_lora=true
}

# DP-FedAvg at epsilon 8 and 2 after the 10 rounds (q = 5/100, delta 1e-3; sigma from io.fedit.federation.
# RdpAccountant: 0.46 -> 7.99, 0.82 -> 1.97); C = 0.05, about the median update norm of these runs' clients
dp() {
  # client_metrics full: the comparison reports the clients' update norms (a research run, not a private deployment)
  local p=(--set partition.alpha=0.5 --set privacy.enabled=true --set privacy.clip_norm=0.05 --set privacy.delta=1e-3
    --set privacy.client_metrics=full)
  run "dp-eps8-a0.5" "${p[@]}" --set privacy.noise_multiplier=0.46 --set privacy.target_epsilon=8
  run "dp-eps2-a0.5" "${p[@]}" --set privacy.noise_multiplier=0.82 --set privacy.target_epsilon=2
}

# Robust rules against one malicious client per round that sends -10x its honest delta (the attack switch is
# for experiments only, README "Attack simulation"); trim_beta 0.2 drops 1 of 5 values at each end; the norm
# bound is about the median honest update norm of these runs
robust() {
  local p=(--set partition.alpha=0.5 --set attack.malicious_clients_per_round=1 --set attack.scale=-10)
  run "attack-mean-a0.5"         "${p[@]}" --set federation.aggregation=mean
  run "attack-median-a0.5"       "${p[@]}" --set federation.aggregation=median
  run "attack-trimmed-a0.5"      "${p[@]}" --set federation.aggregation=trimmed_mean --set federation.trim_beta=0.2
  run "attack-normbound-a0.5"    "${p[@]}" --set federation.aggregation=norm_bounded --set federation.norm_bound=0.05
}

names=()
for g in "$@"; do
  case $g in
    strategies-*) a=${g#strategies-}; strategies "$a"
                  names+=(fedavg-a$a fedavgm-a$a fedadam-a$a fedprox-a$a scaffold-a$a ffa-lora-a$a) ;;
    dp) dp; names+=(fedavg-a0.5 dp-eps8-a0.5 dp-eps2-a0.5) ;;
    robust) robust; names+=(fedavg-a0.5 attack-mean-a0.5 attack-median-a0.5 attack-trimmed-a0.5 attack-normbound-a0.5) ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
  esac
done
dirs=(); for n in "${names[@]}"; do [ -d "$out/$n/rounds" ] && dirs+=("$out/$n"); done
cp_file=target/classpath.txt
java -cp "target/bench-classes:target/classes:$(cat "$cp_file")" io.fedit.bench.RunComparison heldout "${dirs[@]}" 2>/dev/null
