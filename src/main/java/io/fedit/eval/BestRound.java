package io.fedit.eval;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which round of a run is its best: the lowest whole-split (category "ALL") response loss on one split, the
 * earlier round on a tie. The split is the run's eval.split when it was evaluated, else the first of
 * {@link #PREFERRED_SPLITS} that was, else the first evaluated split by name. The train and round consoles and
 * the report name the best round by this one rule.
 */
public final class BestRound {
  /** Splits the best round is chosen on after the run's eval.split, most preferred first. */
  public static final List<String> PREFERRED_SPLITS = List.of("heldout", "dolly_test");

  private BestRound() {}

  /** The split the best round is chosen on among {@code evaluated} splits; empty when there are none. */
  public static Optional<String> split(Collection<String> evaluated, String evalSplit) {
    TreeSet<String> splits = new TreeSet<>(evaluated);
    if (evalSplit != null && splits.contains(evalSplit)) return Optional.of(evalSplit);
    for (String s : PREFERRED_SPLITS) if (splits.contains(s)) return Optional.of(s);
    return splits.isEmpty() ? Optional.empty() : Optional.of(splits.first());
  }

  /**
   * The best of a run's evaluated rounds: {@code rows} are the run's own rows (one per round, split and category),
   * the split is chosen among all their splits ({@link #split}); empty when no round has a finite whole-split
   * response loss there.
   */
  public static Optional<EvalMetricsRow> of(Collection<EvalMetricsRow> rows, String evalSplit) {
    Optional<String> split = split(rows.stream().map(EvalMetricsRow::split).toList(), evalSplit);
    if (split.isEmpty()) return Optional.empty();
    return rows.stream()
        .filter(r -> r.split().equals(split.get()) && r.category().equals(EvalMetricsRow.ALL))
        .filter(r -> Double.isFinite(r.responseLoss()))
        .min(Comparator.comparingDouble(EvalMetricsRow::responseLoss).thenComparingInt(EvalMetricsRow::round));
  }
}
