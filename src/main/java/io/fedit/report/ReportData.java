package io.fedit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    Optional<String> summary = t.readText("data/summary.json");
    if (summary.isPresent()) {
      root.set("summary", json.readTree(summary.get()));
    } else {
      root.putNull("summary");
      absent.put("summary", "data/summary.json not found (the data was not prepared)");
    }

    Optional<List<Map<String, Object>>> eval = read(t, RunTables.EVAL_METRICS, absent,
        "no held-out evaluation yet (train with eval.every_rounds > 0, or fedit evaluate)");
    Optional<List<Map<String, Object>>> rounds = read(t, RunTables.ROUND_METRICS, absent, "no committed round");
    Optional<List<Map<String, Object>>> clients = read(t, RunTables.CLIENT_METRICS, absent, "no committed round");
    Optional<List<Map<String, Object>>> stats = read(t, RunTables.CLIENT_STATS, absent, "the data was not prepared");
    Optional<List<Map<String, Object>>> results = read(t, RunTables.EXPERIMENT_RESULTS, absent,
        "no experiment was run here, so there are no baselines")
        .map(rows -> seed == null ? rows : rows.stream().filter(r -> seed.equals(Values.lng(r, "seed"))).toList());
    Optional<List<Map<String, Object>>> judge = read(t, RunTables.JUDGE_SCORES, absent, "no round was judged");

    ObjectNode evalNode = eval.map(EvalSection::build).orElse(null);
    root.set("eval", evalNode);
    ObjectNode best = evalNode == null ? null : EvalSection.best(evalNode, evalSplit);
    if (best == null && rounds.isPresent()) best = bestByTrainLoss(json, rounds.get());
    root.set("best", best);
    root.set("baselines", results.map(ExperimentSection::baselines).orElse(null));
    root.set("client_losses", clients.map(c -> TrainingSection.clientLosses(c, rounds.orElse(null))).orElse(null));
    root.set("phases", rounds.map(r -> TrainingSection.phases(r, eval.orElse(null))).orElse(null));
    root.set("clients", stats.map(ClientsSection::build).orElse(null));
    root.set("judge", judge.map(JudgeSummary::build).orElse(null));
    return root;
  }

  private static Optional<List<Map<String, Object>>> read(RunTables t, String table, ObjectNode absent, String why)
      throws IOException {
    Optional<List<Map<String, Object>>> rows = t.read(table);
    if (rows.isEmpty()) absent.put(table, table + " not found: " + why);
    return rows;
  }

  /** Without a held-out evaluation the best round can only be named by training loss, and says so. */
  private static ObjectNode bestByTrainLoss(ObjectMapper json, List<Map<String, Object>> rounds) {
    ObjectNode best = null;
    for (var r : rounds) {
      Double loss = Values.dbl(r, "train_loss");
      if (loss == null) continue;
      int round = Values.integer(r, "round");
      if (best == null || loss < best.get("value").asDouble()
          || (loss == best.get("value").asDouble() && round < best.get("round").asInt())) {
        best = json.createObjectNode().put("round", round).putNull("split").put("metric", "train_loss")
            .put("value", loss).put("basis", "training loss (no held-out evaluation in this run)");
      }
    }
    return best;
  }
}
