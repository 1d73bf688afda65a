package io.fedit.experiment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The experiment's console tables, from the rows of experiment/results. Per split: (1) overall response loss per
 * seed and arm with its bootstrap interval (local_only: mean over its clients, with min and max); (2) per category,
 * means over seeds (local_only also over clients) and the share of the local-only → centralized gap that FedIT
 * closes: (local - fedit) / (local - centralized).
 */
final class ResultsConsole {
  private ResultsConsole() {}

  static void print(List<ExperimentRow> rows, PrintStream out) {
    Set<String> splits = new LinkedHashSet<>();
    rows.forEach(r -> splits.add(r.split()));
    Set<Long> seeds = new TreeSet<>();
    rows.forEach(r -> seeds.add(r.seed()));
    for (String split : splits) {
      List<ExperimentRow> all = rows.stream().filter(r -> r.split().equals(split) && r.category().equals("ALL")).toList();
      out.println("experiment: split " + split + " (" + all.stream().mapToLong(ExperimentRow::examples).max().orElse(0)
          + " records), response loss with 95% bootstrap interval over records");
      out.println(String.format(Locale.ROOT, "  %-6s %-12s %10s %-24s %9s %8s", "seed", "arm", "resp loss", "  interval",
          "all loss", "ROUGE-L"));
      for (long seed : seeds) {
        for (String arm : ExperimentRow.ARMS) {
          List<ExperimentRow> g = all.stream().filter(r -> r.seed() == seed && r.arm().equals(arm)).toList();
          if (g.isEmpty()) continue;
          if (g.size() == 1) {
            ExperimentRow r = g.get(0);
            out.println(String.format(Locale.ROOT, "  %-6d %-12s %10s %-24s %9s %8s", seed, arm, num(r.responseLoss()),
                "  [" + num(r.ciLow()) + ", " + num(r.ciHigh()) + "]", num(r.allLoss()), num(r.rougeL())));
          } else {
            out.println(String.format(Locale.ROOT, "  %-6d %-12s %10s %-24s %9s %8s", seed, arm,
                num(mean(g, ExperimentRow::responseLoss)), "  min " + num(min(g)) + ", max " + num(max(g)),
                num(mean(g, ExperimentRow::allLoss)), num(mean(g, ExperimentRow::rougeL))));
          }
        }
      }
      out.println("  per category, mean over seeds (local_only: over its " + members(all) + " clients too); gap closed = "
          + "(local_only - fedit) / (local_only - centralized)");
      out.println(String.format(Locale.ROOT, "  %-24s %9s %11s %9s %12s %11s", "category", "base", "local_only", "fedit",
          "centralized", "gap closed"));
      Set<String> categories = new TreeSet<>();
      rows.stream().filter(r -> r.split().equals(split) && !r.category().equals("ALL")).forEach(r -> categories.add(r.category()));
      List<String> order = new ArrayList<>(categories);
      order.add("ALL");
      for (String c : order) {
        Predicate<ExperimentRow> in = r -> r.split().equals(split) && r.category().equals(c);
        double[] m = new double[ExperimentRow.ARMS.size()];
        for (int i = 0; i < m.length; i++) {
          String arm = ExperimentRow.ARMS.get(i);
          m[i] = mean(rows.stream().filter(in.and(r -> r.arm().equals(arm))).toList(), ExperimentRow::responseLoss);
        }
        double local = m[1], fed = m[2], central = m[3];
        out.println(String.format(Locale.ROOT, "  %-24s %9s %11s %9s %12s %11s", c.isEmpty() ? "(none)" : c, num(m[0]),
            num(local), num(fed), num(central), gapClosed(local, fed, central)));
      }
    }
  }

  /** "87.5%" of the local-only → centralized gap closed by FedIT; "-" when there is no gap to close. */
  static String gapClosed(double local, double fed, double central) {
    double gap = local - central;
    if (Double.isNaN(gap) || Double.isNaN(fed) || Math.abs(gap) < 1e-12) return "-";
    return String.format(Locale.ROOT, "%.1f%%", 100 * (local - fed) / gap);
  }

  private static long members(List<ExperimentRow> all) {
    return all.stream().filter(r -> r.arm().equals(ExperimentRow.LOCAL_ONLY)).map(ExperimentRow::member).distinct().count();
  }

  private static double mean(List<ExperimentRow> g, java.util.function.ToDoubleFunction<ExperimentRow> f) {
    return g.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  private static double min(List<ExperimentRow> g) {
    return g.stream().mapToDouble(ExperimentRow::responseLoss).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
  }

  private static double max(List<ExperimentRow> g) {
    return g.stream().mapToDouble(ExperimentRow::responseLoss).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
