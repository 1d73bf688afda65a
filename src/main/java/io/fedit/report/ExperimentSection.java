package io.fedit.report;

import static io.fedit.report.Values.finite;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.experiment.ExperimentRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The experiment's arms (experiment/results) as reference values: per (arm, split, category) the mean
 * response and all-token loss over seeds and members (local-only clients), with the min and max of the
 * response loss and the number of rows averaged. The FedIT curve itself comes from eval_metrics.
 */
final class ExperimentSection {
  private ExperimentSection() {}

  static ArrayNode baselines(List<ExperimentRow> rows) {
    Map<String, List<ExperimentRow>> groups = new TreeMap<>();
    for (ExperimentRow r : rows) {
      groups.computeIfAbsent(r.arm() + "\u0000" + r.split() + "\u0000" + r.category(), k -> new ArrayList<>()).add(r);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    groups.forEach((key, g) -> {
      String[] k = key.split("\u0000", -1);
      ObjectNode o = out.addObject();
      o.put("arm", k[0]).put("split", k[1]).put("category", k[2]).put("rows", g.size());
      o.put("response_loss", mean(g, ExperimentRow::responseLoss));
      o.put("response_loss_min", extreme(g, ExperimentRow::responseLoss, true));
      o.put("response_loss_max", extreme(g, ExperimentRow::responseLoss, false));
      o.put("all_loss", mean(g, ExperimentRow::allLoss));
    });
    return out;
  }

  private static Double mean(List<ExperimentRow> g, ToDoubleFunction<ExperimentRow> column) {
    double sum = 0;
    int n = 0;
    for (ExperimentRow r : g) {
      Double v = finite(column.applyAsDouble(r));
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Double extreme(List<ExperimentRow> g, ToDoubleFunction<ExperimentRow> column, boolean min) {
    Double best = null;
    for (ExperimentRow r : g) {
      Double v = finite(column.applyAsDouble(r));
      if (v != null && (best == null || (min ? v < best : v > best))) best = v;
    }
    return best;
  }
}
