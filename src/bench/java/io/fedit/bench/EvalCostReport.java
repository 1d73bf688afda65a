package io.fedit.bench;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.eval.EvalMetricsRow;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * What held-out evaluation costs in a finished run: per round, the round's wall time (training + aggregation,
 * from round_metrics) beside the evaluation's wall time (eval_metrics.wall_ms: every split, the answers included
 * where the round generated them). Usage: EvalCostReport RUN_DIR. Prints a Markdown table.
 */
public final class EvalCostReport {
  private EvalCostReport() {}

  public static void main(String[] args) throws Exception {
    CheckpointStore store = CheckpointStore.forReading(args[0], new Configuration());
    System.out.println("| round | round wall s | eval wall s (scored splits) | eval / round |");
    System.out.println("| --- | --- | --- | --- |");
    System.out.println(row("0 (base)", Double.NaN, store.readBaseEvalMetrics()));
    double rounds = 0, evals = 0;
    for (RoundMetricsRow r : store.readRoundMetrics()) {
      List<EvalMetricsRow> e = store.readEvalMetrics(r.round());
      System.out.println(row(Integer.toString(r.round()), r.wallMs() / 1e3, e));
      rounds += r.wallMs() / 1e3;
      evals += evalSeconds(e);
    }
    System.out.printf(Locale.ROOT, "%nrounds 1..N: evaluation %.1f s over %.1f s of rounds = %.1f%%%n", evals, rounds,
        100 * evals / rounds);
  }

  /** wall_ms is that of the whole evaluation (all splits, answers included), the same on every row. */
  private static double evalSeconds(List<EvalMetricsRow> rows) {
    return rows.isEmpty() ? 0 : rows.get(0).wallMs() / 1e3;
  }

  private static String row(String round, double roundSeconds, List<EvalMetricsRow> e) {
    double s = evalSeconds(e);
    return String.format(Locale.ROOT, "| %s | %s | %.1f (%s) | %s |", round,
        Double.isNaN(roundSeconds) ? "-" : String.format(Locale.ROOT, "%.1f", roundSeconds), s,
        String.join(", ", e.stream().map(EvalMetricsRow::split).distinct().toList()),
        Double.isNaN(roundSeconds) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * s / roundSeconds));
  }
}
