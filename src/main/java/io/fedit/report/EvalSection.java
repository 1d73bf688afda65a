package io.fedit.report;

import static io.fedit.report.Values.finite;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.eval.BestRound;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.layout.RunLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Held-out evaluation of the run's rounds, from metrics/eval_metrics: the whole-split rows
 * (category "ALL") per round and split for the learning curve, the per-category rows, and the best
 * round ({@link BestRound}). Only the run's own rounds count (adapter "base" for round 0, "round-NNNNN" for
 * round N: {@link RunLayout#adapterName}); rows of {@code evaluate --adapter DIR} are listed apart. Should a round
 * have been evaluated twice, the first row in (round, split, category, adapter) order is shown.
 */
final class EvalSection {
  private EvalSection() {}

  static boolean isRunRound(EvalMetricsRow row) {
    return RunLayout.adapterName(row.round()).equals(row.adapter());
  }

  /** {"splits", "overall", "by_category", "other_adapters"}. */
  static ObjectNode build(List<EvalMetricsRow> rows) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode others = f.arrayNode();
    for (EvalMetricsRow r : sorted(rows)) {
      if (!isRunRound(r) && EvalMetricsRow.ALL.equals(r.category())) others.add(row(r, true));
    }
    List<EvalMetricsRow> run = runRows(rows);
    TreeSet<String> splits = new TreeSet<>();
    ArrayNode overall = f.arrayNode();
    ArrayNode byCategory = f.arrayNode();
    for (EvalMetricsRow r : run) {
      splits.add(r.split());
      if (EvalMetricsRow.ALL.equals(r.category())) overall.add(row(r, false));
      else byCategory.add(row(r, false));
    }
    ObjectNode out = f.objectNode();
    ArrayNode s = out.putArray("splits");
    splits.forEach(s::add);
    out.set("overall", overall);
    out.set("by_category", byCategory);
    out.set("other_adapters", others);
    return out;
  }

  /**
   * The best round by {@link BestRound}'s rule over the run's own rows, with the run's eval.split ({@code evalSplit},
   * may be null) preferred, as the train console names it: {round, split, metric, value, basis}.
   */
  static Optional<ObjectNode> best(List<EvalMetricsRow> rows, String evalSplit) {
    return BestRound.of(runRows(rows), evalSplit).map(b -> {
      ObjectNode best = JsonNodeFactory.instance.objectNode();
      best.put("round", b.round());
      best.put("split", b.split());
      best.put("metric", "response_loss");
      best.put("value", b.responseLoss());
      best.put("basis", "held-out response loss on " + b.split());
      return best;
    });
  }

  /** The run's own rows, one per (round, split, category): the first in (round, split, category, adapter) order. */
  private static List<EvalMetricsRow> runRows(List<EvalMetricsRow> rows) {
    Map<String, EvalMetricsRow> unique = new LinkedHashMap<>();
    for (EvalMetricsRow r : sorted(rows)) {
      if (isRunRound(r)) unique.putIfAbsent(r.round() + "\u0000" + r.split() + "\u0000" + r.category(), r);
    }
    return new ArrayList<>(unique.values());
  }

  private static List<EvalMetricsRow> sorted(List<EvalMetricsRow> rows) {
    List<EvalMetricsRow> out = new ArrayList<>(rows);
    out.sort(Comparator.comparingInt(EvalMetricsRow::round)
        .thenComparing(r -> String.valueOf(r.split()))
        .thenComparing(r -> String.valueOf(r.category()))
        .thenComparing(r -> String.valueOf(r.adapter())));
    return out;
  }

  private static ObjectNode row(EvalMetricsRow r, boolean withAdapter) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("round", r.round());
    if (withAdapter) o.put("adapter", r.adapter());
    o.put("split", r.split());
    o.put("category", r.category());
    o.put("examples", r.examples());
    o.put("scored_examples", r.scoredExamples());
    o.put("tokens", r.tokens());
    o.put("response_loss", finite(r.responseLoss()));
    o.put("all_loss", finite(r.allLoss()));
    o.put("rouge_l", finite(r.rougeL()));
    return o;
  }
}
