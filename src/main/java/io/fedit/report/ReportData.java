package io.fedit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.experiment.ExperimentRow;
import io.fedit.fs.HadoopPaths;
import io.fedit.judge.JudgeScoreRow;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.prepare.ClientStatsRow;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the report shows, as one JSON object embedded in the page (the charts draw from it, and
 * tests compare it with the Parquet tables). Keys: run, run_dir, generated_at, absent (table → why a
 * section is missing), summary, eval, best, baselines, client_losses, phases, clients, judge. A
 * section whose table is absent is null.
 */
final class ReportData {
  private ReportData() {}

  /** {@code seed}: keep only experiment/results rows of that seed (null = all seeds). */
  static ObjectNode collect(RunTables t, String runName, String runDir, String evalSplit, Long seed) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("run", runName);
    root.put("run_dir", HadoopPaths.display(runDir));
    root.put("generated_at", Instant.now().toString());
    if (seed != null) root.put("experiment_seed", seed);
    ObjectNode absent = root.putObject("absent");

    Optional<String> summary = t.prepareSummary();
    if (summary.isPresent()) {
      root.set("summary", json.readTree(summary.get()));
    } else {
      root.putNull("summary");
      absent.put("summary", RunLayout.prepareSummaryRelative() + " not found (the data was not prepared)");
    }

    Optional<List<EvalMetricsRow>> eval = note(t.evalMetrics(), Table.EVAL_METRICS, absent,
        "no held-out evaluation yet (train with eval.every_rounds > 0, or fedit evaluate)");
    Optional<List<RoundMetricsRow>> rounds = note(t.roundMetrics(), Table.ROUND_METRICS, absent, "no committed round");
    Optional<List<ClientMetricsRow>> clients = note(t.clientMetrics(), Table.CLIENT_METRICS, absent,
        "no committed round");
    Optional<List<ClientStatsRow>> stats = note(t.clientStats(), Table.CLIENT_STATS, absent,
        "the data was not prepared");
    Optional<List<ExperimentRow>> results = note(t.experimentResults(), Table.EXPERIMENT_RESULTS, absent,
        "no experiment was run here, so there are no baselines")
        .map(rows -> seed == null ? rows : rows.stream().filter(r -> r.seed() == seed).toList());
    Optional<List<JudgeScoreRow>> judge = note(t.judgeScores(), Table.JUDGE_SCORES, absent, "no round was judged");

    root.set("eval", eval.map(EvalSection::build).orElse(null));
    ObjectNode best = eval.flatMap(e -> EvalSection.best(e, evalSplit)).orElse(null);
    if (best == null && rounds.isPresent()) best = bestByTrainLoss(json, rounds.get());
    root.set("best", best);
    root.set("baselines", results.map(ExperimentSection::baselines).orElse(null));
    root.set("client_losses", clients.map(c -> TrainingSection.clientLosses(c, rounds.orElse(null))).orElse(null));
    root.set("phases", rounds.map(r -> TrainingSection.phases(r, eval.orElse(null))).orElse(null));
    root.set("clients", stats.map(ClientsSection::build).orElse(null));
    root.set("judge", judge.map(JudgeSummary::build).orElse(null));
    return root;
  }

  /** {@code rows}, noting in {@code absent} why the table's section is missing when it is absent. */
  private static <T> Optional<List<T>> note(Optional<List<T>> rows, Table table, ObjectNode absent, String why) {
    String name = table.relativePath();
    if (rows.isEmpty()) absent.put(name, name + " not found: " + why);
    return rows;
  }

  /** Without a held-out evaluation the best round can only be named by training loss, and says so. */
  private static ObjectNode bestByTrainLoss(ObjectMapper json, List<RoundMetricsRow> rounds) {
    ObjectNode best = null;
    for (RoundMetricsRow r : rounds) {
      Double loss = Values.finite(r.trainLoss());
      if (loss == null) continue;
      int round = r.round();
      if (best == null || loss < best.get("value").asDouble()
          || (loss == best.get("value").asDouble() && round < best.get("round").asInt())) {
        best = json.createObjectNode().put("round", round).putNull("split").put("metric", "train_loss")
            .put("value", loss).put("basis", "training loss (no held-out evaluation in this run)");
      }
    }
    return best;
  }
}
