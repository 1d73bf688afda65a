package io.fedit.bench;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.eval.EvalMetricsRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * The learning curve of several federated runs side by side (for docs/EXPERIMENTS.md: the FedIT arm of each seed).
 * Usage: LearningCurves SPLIT RUN_DIR... Prints one Markdown row per round (0 = the base model): each run's
 * overall response loss on SPLIT, their mean, and the mean all-token loss. Rounds a run did not evaluate show "-".
 */
public final class LearningCurves {
  private LearningCurves() {}

  public static void main(String[] args) throws Exception {
    String split = args[0];
    List<CheckpointStore> runs = new ArrayList<>();
    int last = 0;
    StringBuilder head = new StringBuilder("| round |");
    for (int i = 1; i < args.length; i++) {
      CheckpointStore s = CheckpointStore.forReading(args[i], new Configuration());
      runs.add(s);
      List<Integer> committed = s.committedRounds();
      last = Math.max(last, committed.isEmpty() ? 0 : committed.get(committed.size() - 1));
      head.append(' ').append(args[i].replaceAll("/+$", "").replaceAll(".*/", "")).append(" |");
    }
    System.out.println(head + " mean response loss | mean all-token loss |");
    System.out.println("|" + " --- |".repeat(runs.size() + 3));
    for (int r = 0; r <= last; r++) {
      StringBuilder row = new StringBuilder("| " + r + " |");
      double sum = 0, sumAll = 0;
      int n = 0;
      for (CheckpointStore s : runs) {
        EvalMetricsRow m = overall(r == 0 ? s.readBaseEvalMetrics() : s.committedRounds().contains(r)
            ? s.readEvalMetrics(r) : List.of(), split);
        row.append(' ').append(m == null ? "-" : fmt(m.responseLoss())).append(" |");
        if (m != null) {
          sum += m.responseLoss();
          sumAll += m.allLoss();
          n++;
        }
      }
      row.append(' ').append(n == runs.size() ? fmt(sum / n) : "-").append(" | ")
          .append(n == runs.size() ? fmt(sumAll / n) : "-").append(" |");
      System.out.println(row);
    }
  }

  private static EvalMetricsRow overall(List<EvalMetricsRow> rows, String split) {
    return rows.stream().filter(r -> r.split().equals(split) && r.category().equals(EvalMetricsRow.ALL)).findFirst()
        .orElse(null);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
