package io.fedit.report;

import static io.fedit.report.Values.finite;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.eval.EvalMetricsRow;
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
  static ArrayNode clientLosses(List<ClientMetricsRow> clientRows, List<RoundMetricsRow> roundRows) {
    Map<Integer, Double> trainLoss = new TreeMap<>();
    if (roundRows != null) for (RoundMetricsRow r : roundRows) trainLoss.put(r.round(), finite(r.trainLoss()));
    Map<Integer, List<ClientMetricsRow>> byRound = new TreeMap<>();
    for (ClientMetricsRow r : clientRows) {
      if (!"accepted".equals(r.status()) || finite(r.meanLoss()) == null) continue;
      byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    byRound.forEach((round, rows) -> {
      rows.sort(Comparator.comparing(ClientMetricsRow::clientId));
      ObjectNode o = out.addObject();
      o.put("round", round);
      o.put("train_loss", trainLoss.get(round));
      ArrayNode clients = o.putArray("clients");
      double[] losses = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        losses[i] = rows.get(i).meanLoss();
        clients.addObject().put("client_id", rows.get(i).clientId()).put("mean_loss", losses[i]);
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
  static ArrayNode phases(List<RoundMetricsRow> roundRows, List<EvalMetricsRow> evalRows) {
    Map<Integer, Long> evalMs = new TreeMap<>();
    if (evalRows != null) {
      for (EvalMetricsRow r : evalRows) {
        if (EvalSection.isRunRound(r)) evalMs.merge(r.round(), r.wallMs(), Math::max);
      }
    }
    List<RoundMetricsRow> rows = new ArrayList<>(roundRows);
    rows.sort(Comparator.comparingInt(RoundMetricsRow::round));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (RoundMetricsRow r : rows) {
      ObjectNode o = out.addObject();
      o.put("round", r.round());
      o.put("clients_sampled", r.clientsSampled());
      o.put("clients_accepted", r.clientsAccepted());
      o.put("train_loss", finite(r.trainLoss()));
      o.put("wall_ms", r.wallMs());
      long[] phases = {r.schedulingMs(), r.trainingMs(), r.aggregationMs(), r.commitMs()};
      long covered = 0;
      for (int p = 0; p < PHASES.size(); p++) {
        o.put(PHASES.get(p), phases[p]);
        covered += phases[p];
      }
      o.put("other_ms", Math.max(0, r.wallMs() - covered));
      o.put("eval_ms", evalMs.get(r.round()));
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
