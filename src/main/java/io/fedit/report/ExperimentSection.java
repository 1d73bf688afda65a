package io.fedit.report;

import static io.fedit.report.Values.dbl;
import static io.fedit.report.Values.str;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The experiment's arms (experiment/results) as reference values: per (arm, split, category) the mean
 * response and all-token loss over seeds and members (local-only clients), with the min and max of the
 * response loss and the number of rows averaged. The FedIT curve itself comes from eval_metrics.
 */
final class ExperimentSection {
  private ExperimentSection() {}

  static ArrayNode baselines(List<Map<String, Object>> rows) {
    Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
    for (var r : rows) {
      groups.computeIfAbsent(str(r, "arm") + "\u0000" + str(r, "split") + "\u0000" + str(r, "category"),
          k -> new ArrayList<>()).add(r);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    groups.forEach((key, g) -> {
      String[] k = key.split("\u0000", -1);
      ObjectNode o = out.addObject();
      o.put("arm", k[0]).put("split", k[1]).put("category", k[2]).put("rows", g.size());
      o.put("response_loss", mean(g, "response_loss"));
      o.put("response_loss_min", extreme(g, "response_loss", true));
      o.put("response_loss_max", extreme(g, "response_loss", false));
      o.put("all_loss", mean(g, "all_loss"));
    });
    return out;
  }

  private static Double mean(List<Map<String, Object>> g, String col) {
    double sum = 0;
    int n = 0;
    for (var r : g) {
      Double v = dbl(r, col);
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Double extreme(List<Map<String, Object>> g, String col, boolean min) {
    Double best = null;
    for (var r : g) {
      Double v = dbl(r, col);
      if (v != null && (best == null || (min ? v < best : v > best))) best = v;
    }
    return best;
  }
}
