package io.fedit.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reduces per-record results on the driver: sorted by record id, then summed per category (and for "ALL")
 * in that fixed order, so the numbers are the same for any partitioning or task timing. Losses are
 * token-weighted: sum of NLL over all scored tokens / their count, not a mean of per-record means.
 */
public final class EvalAggregator {
  private EvalAggregator() {}

  /** Sums of one category. */
  private static final class Sums {
    long examples, scored, tokens, allTokens, generated;
    double nll, allNll, rouge;

    void add(RecordScore s, double rougeL) {
      examples++;
      if (s.responseTokens() > 0) scored++;
      tokens += s.responseTokens();
      nll += s.responseNll();
      allTokens += s.allTokens();
      allNll += s.allNll();
      if (!Double.isNaN(rougeL)) {
        generated++;
        rouge += rougeL;
      }
    }

    EvalMetricsRow row(int round, String adapter, String split, String category, long wallMs) {
      return new EvalMetricsRow(round, adapter, split, category, examples, scored, tokens,
          tokens == 0 ? Double.NaN : nll / tokens, allTokens, allTokens == 0 ? Double.NaN : allNll / allTokens,
          generated == 0 ? Double.NaN : rouge / generated, wallMs);
    }
  }

  /**
   * The rows of one evaluation of {@code set}: metrics for scored splits (per category in name order, then
   * "ALL") and one generation row per answered record.
   */
  public static EvalResult reduce(EvalSet set, List<RecordScore> scores, int round, String adapter, long wallMs) {
    Map<Long, EvalItem> items = new HashMap<>();
    for (EvalItem i : set.items()) items.put(i.recordId(), i);
    if (scores.size() != items.size()) {
      throw new IllegalStateException("split " + set.split() + ": " + scores.size() + " results for " + items.size() + " records");
    }
    List<RecordScore> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparingLong(RecordScore::recordId));
    Map<String, Sums> byCategory = new TreeMap<>();
    Sums all = new Sums();
    List<EvalGenerationRow> generations = new ArrayList<>();
    for (RecordScore s : sorted) {
      EvalItem item = items.get(s.recordId());
      double rouge = Double.NaN;
      if (s.answer() != null) {
        if (item.reference() != null) rouge = RougeL.f1(s.answer(), item.reference());
        generations.add(new EvalGenerationRow(round, adapter, set.split(), s.recordId(), item.category(),
            item.promptText(), s.answer(), item.reference(), rouge, s.finishReason()));
      }
      byCategory.computeIfAbsent(item.category(), c -> new Sums()).add(s, rouge);
      all.add(s, rouge);
    }
    List<EvalMetricsRow> metrics = new ArrayList<>();
    if (set.scored()) {
      for (Map.Entry<String, Sums> e : byCategory.entrySet()) {
        metrics.add(e.getValue().row(round, adapter, set.split(), e.getKey(), wallMs));
      }
      metrics.add(all.row(round, adapter, set.split(), EvalMetricsRow.ALL, wallMs));
    }
    return new EvalResult(metrics, generations);
  }
}
