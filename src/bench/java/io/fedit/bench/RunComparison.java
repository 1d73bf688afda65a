package io.fedit.bench;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.PrivacyLedgerRow;
import io.fedit.eval.EvalMetricsRow;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * Side-by-side held-out results of finished runs (the strategy, robust-rule and DP comparisons of
 * docs/EXPERIMENTS.md). Usage: RunComparison SPLIT RUN_DIR... Prints one Markdown row per run: the base model's
 * response loss on SPLIT (round 0), the last committed round's, the change, the last round's all-token loss,
 * the median accepted update norm of the last round, and the DP ledger's epsilon where the run has one.
 */
public final class RunComparison {
  private RunComparison() {}

  public static void main(String[] args) throws Exception {
    String split = args[0];
    System.out.println("| run | rounds | base resp loss | final resp loss | change | final all-token loss "
        + "| median update norm (last round) | epsilon spent |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 1; i < args.length; i++) System.out.println(row(split, args[i]));
  }

  private static String row(String split, String runDir) throws Exception {
    CheckpointStore store = CheckpointStore.forReading(runDir, new Configuration());
    List<Integer> rounds = store.committedRounds();
    int last = rounds.get(rounds.size() - 1);
    EvalMetricsRow base = overall(store.readBaseEvalMetrics(), split);
    EvalMetricsRow fin = overall(store.readEvalMetrics(last), split);
    List<PrivacyLedgerRow> ledger = store.readPrivacyLedger();
    String eps = ledger.isEmpty() ? "-" : fmt(ledger.get(ledger.size() - 1).epsilonSpent());
    return String.format(Locale.ROOT, "| %s | %d | %s | %s | %+.4f | %s | %s | %s |",
        runDir.replaceAll(".*/", ""), last, fmt(base.responseLoss()), fmt(fin.responseLoss()),
        fin.responseLoss() - base.responseLoss(), fmt(fin.allLoss()), fmt(medianNorm(store.readClientMetrics(last))),
        eps);
  }

  private static EvalMetricsRow overall(List<EvalMetricsRow> rows, String split) {
    return rows.stream().filter(r -> r.split().equals(split) && r.category().equals(EvalMetricsRow.ALL)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no overall eval row for split " + split));
  }

  private static double medianNorm(List<ClientMetricsRow> rows) {
    double[] n = rows.stream().filter(r -> r.status().equals("accepted")).mapToDouble(ClientMetricsRow::updateNorm)
        .filter(Double::isFinite).sorted().toArray();
    return n.length == 0 ? Double.NaN : n.length % 2 == 1 ? n[n.length / 2] : (n[n.length / 2 - 1] + n[n.length / 2]) / 2;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
