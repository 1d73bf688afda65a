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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training side of a run: the spread of the accepted clients' mean training losses per round
 * (client_metrics) with the round's weighted train loss, and each round's wall time split into its
 * phases (round_metrics).
 */
final class TrainingSection {
  static final List<String> PHASES = List.of("scheduling_ms", "training_ms", "aggregation_ms", "commit_ms");

  private TrainingSection() {}

  /** Per round: {"round", "train_loss", "clients": [{client_id, mean_loss}], "box": [min, q1, median, q3, max]}. */
  static ArrayNode clientLosses(List<Map<String, Object>> clientRows, List<Map<String, Object>> roundRows) {
    Map<Integer, Double> trainLoss = new TreeMap<>();
    if (roundRows != null) for (var r : roundRows) trainLoss.put(integer(r, "round"), dbl(r, "train_loss"));
    Map<Integer, List<Map<String, Object>>> byRound = new TreeMap<>();
    for (var r : clientRows) {
      if (!"accepted".equals(str(r, "status")) || dbl(r, "mean_loss") == null) continue;
      byRound.computeIfAbsent(integer(r, "round"), k -> new ArrayList<>()).add(r);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    byRound.forEach((round, rows) -> {
      rows.sort(Comparator.comparing(r -> str(r, "client_id")));
      ObjectNode o = out.addObject();
      o.put("round", round);
      o.put("train_loss", trainLoss.get(round));
      ArrayNode clients = o.putArray("clients");
      double[] losses = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        losses[i] = dbl(rows.get(i), "mean_loss");
        clients.addObject().put("client_id", str(rows.get(i), "client_id")).put("mean_loss", losses[i]);
      }
      ArrayNode box = o.putArray("box");
      for (double q : new double[] {0, 0.25, 0.5, 0.75, 1}) box.add(quantile(losses, q));
    });
    return out;
  }

  /**
   * Per round: wall_ms, the four phases, other_ms = what the phases do not cover (never negative), and
   * eval_ms = the round's held-out evaluation after its commit (eval_metrics wall_ms, outside wall_ms;
   * null when the round was not evaluated or evalRows is null).
   */
  static ArrayNode phases(List<Map<String, Object>> roundRows, List<Map<String, Object>> evalRows) {
    Map<Integer, Long> evalMs = new TreeMap<>();
    if (evalRows != null) {
      for (var r : evalRows) {
        Long ms = lng(r, "wall_ms");
        if (ms != null && EvalSection.isRunRound(r)) evalMs.merge(integer(r, "round"), ms, Math::max);
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>(roundRows);
    rows.sort(Comparator.comparingInt(r -> integer(r, "round")));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (var r : rows) {
      ObjectNode o = out.addObject();
      o.put("round", integer(r, "round"));
      o.put("clients_sampled", lng(r, "clients_sampled"));
      o.put("clients_accepted", lng(r, "clients_accepted"));
      o.put("train_loss", dbl(r, "train_loss"));
      Long wall = lng(r, "wall_ms");
      o.put("wall_ms", wall);
      long covered = 0;
      for (String p : PHASES) {
        Long v = lng(r, p);
        o.put(p, v);
        covered += v == null ? 0 : v;
      }
      o.put("other_ms", wall == null ? null : Math.max(0, wall - covered));
      o.put("eval_ms", evalMs.get(integer(r, "round")));
    }
    return out;
  }

  /** Linear-interpolation quantile (R's type 7) of unsorted values; q in [0, 1]. */
  static double quantile(double[] values, double q) {
    double[] s = values.clone();
    java.util.Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
