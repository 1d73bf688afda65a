package io.fedit.round;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.config.RunConfig;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalSet;
import io.fedit.eval.EvalSets;
import io.fedit.eval.Evaluator;
import io.fedit.layout.RunLayout;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Held-out evaluation inside train/round: the base model once per run (round 0 of the eval tables), then
 * the new global adapter of every eval.every_rounds-th round (and of round federation.rounds) before its
 * commit, with answers every eval.generate_every_rounds rounds and at the last. Eval sets are read once,
 * on first use.
 */
final class RoundEvaluation {
  private final SparkSession spark;
  private final RunConfig cfg;
  private final CheckpointStore store;
  private final Evaluator evaluator;
  private List<EvalSet> sets;

  RoundEvaluation(SparkSession spark, RunConfig cfg, CheckpointStore store, String modelHash) {
    this.spark = spark;
    this.cfg = cfg;
    this.store = store;
    this.evaluator = new Evaluator(spark, cfg, modelHash);
  }

  private List<EvalSet> sets() {
    if (sets == null) sets = EvalSets.configured(spark, cfg);
    return sets;
  }

  /** Evaluates and writes the base model (round 0) unless evaluation is off or it is written; its overall row. */
  Optional<EvalMetricsRow> baseIfNeeded() {
    try {
      if (!cfg.eval().enabled() || store.hasBaseEvaluation()) return Optional.empty();
      EvalResult base = evaluator.evaluate(sets(), null, 1.0, 0, RunLayout.adapterName(0), cfg.eval().generatesRound(0, lastRound()));
      store.commitBaseEvaluation(base);
      return base.overall(cfg.eval().split());
    } catch (IOException e) {
      throw new UncheckedIOException("base model evaluation: " + e.getMessage(), e);
    }
  }

  /** The evaluation of round {@code round}'s new global adapter, empty when this round is not evaluated. */
  EvalResult ofRound(int round, AdapterWeights global) {
    if (!cfg.eval().evaluatesRound(round, lastRound())) return EvalResult.empty();
    return evaluator.evaluate(sets(), global, cfg.lora().scaling(), round, RunLayout.adapterName(round),
        cfg.eval().generatesRound(round, lastRound()));
  }

  private int lastRound() {
    return io.fedit.federation.plan.RoundRules.of(cfg).rounds();
  }

  /** The overall rows of the configured split for the base model and every evaluated committed round, by round. */
  static List<EvalMetricsRow> curve(CheckpointStore store, String split) throws IOException {
    List<EvalMetricsRow> all = new ArrayList<>(store.readBaseEvalMetrics());
    for (int r : store.committedRounds()) all.addAll(store.readEvalMetrics(r));
    List<EvalMetricsRow> out = new ArrayList<>();
    for (EvalMetricsRow m : all) {
      if (m.split().equals(split) && m.category().equals(EvalMetricsRow.ALL)) out.add(m);
    }
    out.sort(Comparator.comparingInt(EvalMetricsRow::round));
    return out;
  }
}
