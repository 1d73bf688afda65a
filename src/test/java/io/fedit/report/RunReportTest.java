package io.fedit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.job.ExitCodes;
import io.fedit.job.FeditCli;
import io.fedit.judge.JudgeOutcome;
import io.fedit.judge.JudgeScoresTable;
import io.fedit.judge.JudgedAnswer;
import io.fedit.judge.StoredAnswer;
import io.fedit.testing.EvalTableFixtures;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html of a real (tiny) run with its evaluation: written at the end of train, rewritten when more
 * tables exist, and the numbers it embeds equal the Parquet tables as DuckDB (an independent reader)
 * reads them. experiment/results, which no command of this branch writes, is a fixture with the agreed
 * schema; judge scores are written by their owner class.
 */
@Tag("slow") // trains two rounds first; jobs/test --fast leaves it out
class RunReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private String[] args(String... command) throws Exception {
    Path data = TestPaths.dollySample(dir, 20);
    Path eval = dir.resolve("eval.jsonl"); // every 5th test record: 16, two per category
    if (!Files.exists(eval)) {
      List<String> lines = Files.readAllLines(TestPaths.dollyTest());
      List<String> every5th = new ArrayList<>();
      for (int i = 0; i < lines.size(); i += 5) every5th.add(lines.get(i));
      Files.write(eval, every5th);
    }
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + data, "output.dir=" + dir.resolve("runs"), "run.name=tiny",
        "model.path=" + TestPaths.tinyModel(), "partition.num_clients=4", "partition.min_records_per_client=20",
        "federation.client_fraction=0.5", "federation.rounds=2", "data.cutoff_len=160", "train.batch_size=2",
        "train.micro_batch_size=2", "train.max_steps=1", "train.threads=1",
        // the real evaluation of every round (losses only: no answers, no Vicuna questions)
        "eval.path=" + eval, "eval.max_new_tokens=0", "eval.vicuna_path="}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  private static JsonNode data(Path report) throws Exception {
    return JSON.readTree(RunReport.embeddedData(Files.readString(report)));
  }

  @Test
  void trainWritesTheReportAndItShowsTheTablesNumbers() throws Exception {
    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("train")));
    Path run = dir.resolve("runs/tiny");
    Path report = run.resolve("report.html");
    assertTrue(Files.exists(report), "train writes report.html");
    JsonNode afterTrain = data(report);
    assertEquals(List.of("dolly_test"), List.of(afterTrain.at("/eval/splits/0").asText()));
    assertEquals("response_loss", afterTrain.at("/best/metric").asText());
    assertTrue(afterTrain.get("baselines").isNull());

    // What the experiment and the judge write, then the report again.
    String runDir = run.toString();
    EvalTableFixtures.experimentResults(LocalSpark.get(), runDir, List.of("dolly_test", "heldout"), 2, 3);
    List<JudgedAnswer> judged = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      judged.add(new JudgedAnswer(new StoredAnswer(2, "round-00002", "vicuna80", i, "writing", "q", "a", null),
          "judge-7b", new JudgeOutcome(i == 3 ? null : 3 + i, i == 3 ? "error" : "ok", "d", 1, 5)));
    }
    new JudgeScoresTable(runDir, new Configuration()).write(2, judged, false);
    assertEquals(report.toString(), RunReport.write(LocalSpark.get(), "tiny", runDir, "dolly_test"));
    String html = Files.readString(report);
    JsonNode d = data(report);

    // Self-contained: the library is inline and nothing is loaded from elsewhere.
    assertTrue(html.contains("echarts") && html.length() > 900_000, "ECharts inlined");
    assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no external script");
    assertFalse(html.contains("<link"), "no external stylesheet");
    assertEquals(0, d.get("absent").size(), "every table present: " + d.get("absent"));

    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      String rm = "read_parquet('" + run.resolve("metrics/round_metrics") + "/*.parquet')";
      String cm = "read_parquet('" + run.resolve("metrics/client_metrics") + "/*.parquet')";
      String em = "read_parquet('" + run.resolve("metrics/eval_metrics") + "/**/*.parquet')";
      String er = "read_parquet('" + run.resolve("experiment/results") + "/*.parquet')";
      String cs = "read_parquet('" + run.resolve("data/client_stats") + "/*.parquet')";

      // Round phases.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, wall_ms, scheduling_ms, training_ms, "
          + "aggregation_ms, commit_ms, train_loss FROM " + rm + " ORDER BY round")) {
        int i = 0;
        for (; rs.next(); i++) {
          JsonNode p = d.get("phases").get(i);
          assertEquals(rs.getInt(1), p.get("round").asInt());
          assertEquals(rs.getLong(2), p.get("wall_ms").asLong());
          assertEquals(rs.getLong(3), p.get("scheduling_ms").asLong());
          assertEquals(rs.getLong(4), p.get("training_ms").asLong());
          assertEquals(rs.getLong(5), p.get("aggregation_ms").asLong());
          assertEquals(rs.getLong(6), p.get("commit_ms").asLong());
          assertEquals(rs.getDouble(7), p.get("train_loss").asDouble());
        }
        assertEquals(2, i);
        assertEquals(2, d.get("phases").size());
      }
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, max(wall_ms) FROM " + em
          + " WHERE round > 0 GROUP BY round ORDER BY round")) {
        for (int i = 0; rs.next(); i++) {
          assertEquals(rs.getInt(1), d.get("phases").get(i).get("round").asInt());
          assertEquals(rs.getLong(2), d.get("phases").get(i).get("eval_ms").asLong(), "evaluation time of the round");
        }
      }

      // Client losses per round, and their median.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, client_id, mean_loss FROM " + cm
          + " WHERE status = 'accepted' ORDER BY round, client_id")) {
        List<String> expected = new ArrayList<>();
        while (rs.next()) expected.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getDouble(3));
        List<String> shown = new ArrayList<>();
        for (JsonNode r : d.get("client_losses")) {
          for (JsonNode c : r.get("clients")) {
            shown.add(r.get("round").asInt() + " " + c.get("client_id").asText() + " " + c.get("mean_loss").asDouble());
          }
        }
        assertEquals(expected, shown);
        assertEquals(4, shown.size(), "2 rounds x 2 clients");
      }
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, quantile_cont(mean_loss, 0.5), "
          + "min(mean_loss), max(mean_loss) FROM " + cm + " WHERE status = 'accepted' GROUP BY round ORDER BY round")) {
        for (int i = 0; rs.next(); i++) {
          JsonNode box = d.get("client_losses").get(i).get("box");
          assertEquals(rs.getDouble(2), box.get(2).asDouble(), 1e-12);
          assertEquals(rs.getDouble(3), box.get(0).asDouble());
          assertEquals(rs.getDouble(4), box.get(4).asDouble());
        }
      }

      // The held-out curve (whole split) and per-category rows.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, split, response_loss, all_loss, tokens, "
          + "scored_examples FROM " + em + " WHERE category = 'ALL' ORDER BY round, split")) {
        int i = 0;
        for (; rs.next(); i++) {
          JsonNode r = d.at("/eval/overall").get(i);
          assertEquals(rs.getInt(1), r.get("round").asInt());
          assertEquals(rs.getString(2), r.get("split").asText());
          assertEquals(rs.getDouble(3), r.get("response_loss").asDouble());
          assertEquals(rs.getDouble(4), r.get("all_loss").asDouble());
          assertEquals(rs.getLong(5), r.get("tokens").asLong());
          assertEquals(rs.getLong(6), r.get("scored_examples").asLong());
        }
        assertEquals(3, i, "rounds 0 (base) to 2");
      }
      try (ResultSet rs = db.createStatement().executeQuery("SELECT count(*), count(response_loss), "
          + "sum(response_loss) FROM " + em + " WHERE category <> 'ALL'")) {
        rs.next();
        JsonNode cats = d.at("/eval/by_category");
        assertEquals(rs.getLong(1), cats.size());
        long nonNull = 0;
        double sum = 0;
        for (JsonNode c : cats) {
          if (!c.get("response_loss").isNull()) {
            nonNull++;
            sum += c.get("response_loss").asDouble();
          }
        }
        assertEquals(rs.getLong(2), nonNull, "categories that scored nothing stay null");
        assertEquals(rs.getDouble(3), sum, 1e-9);
      }

      // Best round: lowest whole-split response loss on the run's eval split.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT round, response_loss FROM " + em
          + " WHERE split = 'dolly_test' AND category = 'ALL' ORDER BY response_loss, round LIMIT 1")) {
        rs.next();
        assertEquals(rs.getInt(1), d.at("/best/round").asInt());
        assertEquals(rs.getDouble(2), d.at("/best/value").asDouble());
        assertEquals("dolly_test", d.at("/best/split").asText());
      }

      // Baselines: mean, min and max over seeds and members.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT arm, split, category, avg(response_loss), "
          + "min(response_loss), max(response_loss), count(*) FROM " + er + " GROUP BY ALL ORDER BY arm, split, category")) {
        int i = 0;
        for (; rs.next(); i++) {
          JsonNode b = d.get("baselines").get(i);
          assertEquals(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3),
              b.get("arm").asText() + "/" + b.get("split").asText() + "/" + b.get("category").asText());
          assertEquals(rs.getDouble(4), b.get("response_loss").asDouble(), 1e-12);
          assertEquals(rs.getDouble(5), b.get("response_loss_min").asDouble());
          assertEquals(rs.getDouble(6), b.get("response_loss_max").asDouble());
          assertEquals(rs.getLong(7), b.get("rows").asLong());
        }
        assertEquals(d.get("baselines").size(), i);
      }

      // Clients: sizes and category counts; their skew is the prepare summary's, computed independently.
      try (ResultSet rs = db.createStatement().executeQuery("SELECT client_id, records, "
          + "list_sum(map_values(category_counts)) FROM " + cs + " ORDER BY client_id")) {
        int i = 0;
        for (; rs.next(); i++) {
          JsonNode c = d.at("/clients/rows").get(i);
          assertEquals(rs.getString(1), c.get("client_id").asText());
          assertEquals(rs.getLong(2), c.get("records").asLong());
          long sum = 0;
          for (JsonNode n : c.get("counts")) sum += n.asLong();
          assertEquals(rs.getLong(3), sum);
        }
        assertEquals(4, i);
      }
      assertEquals(d.at("/summary/categorySkew").asDouble(), d.at("/clients/skew").asDouble(), 1e-12);

      // Judge scores: mean of the scored answers.
      JsonNode j = d.get("judge").get(0);
      assertEquals(2, j.get("round").asInt());
      assertEquals(3, j.get("scored").asInt());
      assertEquals(1, j.get("errors").asInt());
      assertEquals(4.0, j.get("mean_score").asDouble());
    }
  }

  @Test
  void sectionsWhoseTablesAreAbsentSaySo() throws Exception {
    String runDir = dir.resolve("runs/empty").toString();
    Files.createDirectories(dir.resolve("runs/empty/metrics/eval_metrics")); // begun, no data file yet
    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run("report", "--set", "output.dir=" + dir.resolve("runs"), "--set", "run.name=empty"));
    JsonNode d = data(Path.of(runDir, "report.html"));
    for (String t : new String[] {"metrics/eval_metrics", "metrics/round_metrics", "metrics/client_metrics",
        "data/client_stats", "experiment/results", "metrics/judge_scores", "summary"}) {
      assertNotNull(d.get("absent").get(t), t + " is reported absent");
    }
    for (String s : new String[] {"eval", "best", "baselines", "client_losses", "phases", "clients", "judge"}) {
      assertTrue(d.get(s).isNull(), s);
    }
    assertTrue(d.at("/absent/metrics~1eval_metrics").asText().contains("not found"), d.get("absent").toString());
  }

  @Test
  void anExperimentArmsReportTakesTheBaselinesOfItsSeed() throws Exception {
    Path exp = dir.resolve("runs/x/experiment");
    EvalTableFixtures.experimentResults(LocalSpark.get(), exp.toString(), List.of("dolly_test"), 2, 3);
    Path results = exp.resolve("experiment/results"); // where the fixture puts it under the given directory
    String runDir = exp.resolve("fedit-seed-2").toString();
    JsonNode d = data(Path.of(RunReport.write(LocalSpark.get(), "fedit-seed-2", runDir, "dolly_test",
        results.toString(), 2L)));
    assertEquals(2, d.get("experiment_seed").asLong());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
         ResultSet rs = db.createStatement().executeQuery("SELECT arm, category, avg(response_loss), count(*) FROM "
             + "read_parquet('" + results + "/*.parquet') WHERE seed = 2 GROUP BY ALL ORDER BY arm, category")) {
      int i = 0;
      for (; rs.next(); i++) {
        JsonNode b = d.get("baselines").get(i);
        assertEquals(rs.getString(1) + "/" + rs.getString(2), b.get("arm").asText() + "/" + b.get("category").asText());
        assertEquals(rs.getDouble(3), b.get("response_loss").asDouble(), 1e-12);
        assertEquals(rs.getLong(4), b.get("rows").asLong(), "only seed 2's rows");
      }
      assertEquals(d.get("baselines").size(), i);
    }
  }
}
