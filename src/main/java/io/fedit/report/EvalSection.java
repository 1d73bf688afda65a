package io.fedit.report;

import static io.fedit.report.Values.dbl;
import static io.fedit.report.Values.integer;
import static io.fedit.report.Values.lng;
import static io.fedit.report.Values.str;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Held-out evaluation of the run's rounds, from metrics/eval_metrics: the whole-split rows
 * (category "ALL") per round and split for the learning curve, the per-category rows, and the best
 * round. Only the run's own rounds count (adapter "base" for round 0, "round-NNNNN" for round N); rows
 * of {@code evaluate --adapter DIR} are listed apart. Should a round have been evaluated twice, the
 * first row in (round, split, category, adapter) order is shown.
 */
final class EvalSection {
  static final String ALL = "ALL";
  /** Splits the best round is chosen on after the run's eval.split, most preferred first; else the first by name. */
  static final List<String> PREFERRED_SPLITS = List.of("heldout", "dolly_test");

  private EvalSection() {}

  static boolean isRunRound(Map<String, Object> row) {
    int round = integer(row, "round");
    String adapter = str(row, "adapter");
    return round == 0 ? "base".equals(adapter) : String.format("round-%05d", round).equals(adapter);
  }

  /** {"splits", "overall", "by_category", "other_adapters"}. */
  static ObjectNode build(List<Map<String, Object>> rows) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<Map<String, Object>> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.<Map<String, Object>>comparingInt(r -> integer(r, "round"))
        .thenComparing(r -> String.valueOf(str(r, "split")))
        .thenComparing(r -> String.valueOf(str(r, "category")))
        .thenComparing(r -> String.valueOf(str(r, "adapter"))));
    Map<String, Map<String, Object>> unique = new LinkedHashMap<>();
    TreeSet<String> splits = new TreeSet<>();
    ArrayNode others = f.arrayNode();
    for (Map<String, Object> r : sorted) {
      if (!isRunRound(r)) {
        if (ALL.equals(str(r, "category"))) others.add(row(r, true));
        continue;
      }
      splits.add(str(r, "split"));
      unique.putIfAbsent(integer(r, "round") + "\u0000" + str(r, "split") + "\u0000" + str(r, "category"), r);
    }
    ArrayNode overall = f.arrayNode();
    ArrayNode byCategory = f.arrayNode();
    for (Map<String, Object> r : unique.values()) {
      if (ALL.equals(str(r, "category"))) overall.add(row(r, false));
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

  private static ObjectNode row(Map<String, Object> r, boolean withAdapter) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("round", integer(r, "round"));
    if (withAdapter) o.put("adapter", str(r, "adapter"));
    o.put("split", str(r, "split"));
    o.put("category", str(r, "category"));
    o.put("examples", lng(r, "examples"));
    o.put("scored_examples", lng(r, "scored_examples"));
    o.put("tokens", lng(r, "tokens"));
    o.put("response_loss", dbl(r, "response_loss"));
    o.put("all_loss", dbl(r, "all_loss"));
    o.put("rouge_l", dbl(r, "rouge_l"));
    return o;
  }

  /**
   * The round with the lowest whole-split response loss (ties: the earlier round) on {@code evalSplit}
   * when it was evaluated (the split the train console names the best round on), else on the first of
   * {@link #PREFERRED_SPLITS} present, else on the first split by name; null when no round has one.
   */
  static ObjectNode best(ObjectNode eval, String evalSplit) {
    List<String> splits = new ArrayList<>();
    eval.get("splits").forEach(n -> splits.add(n.asText()));
    List<String> order = new ArrayList<>();
    if (evalSplit != null) order.add(evalSplit);
    order.addAll(PREFERRED_SPLITS);
    String split = order.stream().filter(splits::contains).findFirst()
        .orElse(splits.isEmpty() ? null : splits.get(0));
    ObjectNode best = null;
    for (var n : eval.get("overall")) {
      if (!n.get("split").asText().equals(split) || n.get("response_loss").isNull()) continue;
      if (best == null || n.get("response_loss").asDouble() < best.get("value").asDouble()) {
        best = JsonNodeFactory.instance.objectNode();
        best.put("round", n.get("round").asInt());
        best.put("split", split);
        best.put("metric", "response_loss");
        best.put("value", n.get("response_loss").asDouble());
        best.put("basis", "held-out response loss on " + split);
      }
    }
    return best;
  }
}
