package io.fedit.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of one or more evaluations of one adapter: metrics per category and the generated answers. */
public record EvalResult(List<EvalMetricsRow> metrics, List<EvalGenerationRow> generations) {
  public EvalResult {
    metrics = List.copyOf(metrics);
    generations = List.copyOf(generations);
  }

  public static EvalResult empty() {
    return new EvalResult(List.of(), List.of());
  }

  public boolean isEmpty() {
    return metrics.isEmpty() && generations.isEmpty();
  }

  /** This result's rows followed by {@code other}'s. */
  public EvalResult plus(EvalResult other) {
    List<EvalMetricsRow> m = new ArrayList<>(metrics);
    m.addAll(other.metrics);
    List<EvalGenerationRow> g = new ArrayList<>(generations);
    g.addAll(other.generations);
    return new EvalResult(m, g);
  }

  /** The "ALL" row of {@code split}, if evaluated. */
  public Optional<EvalMetricsRow> overall(String split) {
    return metrics.stream().filter(r -> r.split().equals(split) && r.category().equals(EvalMetricsRow.ALL)).findFirst();
  }
}
