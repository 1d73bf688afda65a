package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.job.ExitCodes;
import io.fedit.job.FeditCli;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole experiment command on a tiny configuration (4 clients, 2 rounds of 1 step, 2 local-only clients,
 * 10 held-out and 4 validation records, 8 test records) on local[2]: every arm has rows in every split,
 * intervals contain their estimates, held-out records never reach the client table, the table reads in Spark
 * SQL, a rerun keeps the results and other settings are refused.
 */
@Tag("slow") // a whole experiment (several arms and runs); jobs/test --fast leaves it out
class ExperimentCommandTest {
  @TempDir Path dir;

  private String[] args(String... extra) throws Exception {
    Path data = TestPaths.dollySample(dir, 40);
    Path test = dir.resolve("test-slice.jsonl");
    if (!Files.exists(test)) {
      List<String> lines = Files.readAllLines(TestPaths.dollyTest());
      List<String> slice = new ArrayList<>();
      for (int i = 0; i < lines.size(); i += 10) slice.add(lines.get(i)); // 8 records, every category
      Files.write(test, slice);
    }
    List<String> a = new ArrayList<>(List.of("experiment", "--seeds", "1"));
    for (String s : new String[] {"data.path=" + data, "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "run.name=exp", "partition.num_clients=4",
        "partition.min_records_per_client=20", "federation.client_fraction=0.5", "federation.rounds=2",
        "data.cutoff_len=192", "train.batch_size=2", "train.micro_batch_size=2", "train.max_steps=1",
        "train.learning_rate=1.0e-2", "train.threads=1", "eval.path=" + test, "eval.vicuna_path=",
        "eval.max_new_tokens=4", "eval.every_rounds=0", "eval.holdout_records=10", "eval.validation_records=4",
        "experiment.local_only_clients=2", "experiment.bootstrap_samples=200"}) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void runsEveryArmAndKeepsItsResultsOnRerun() throws Exception {
    LocalSpark.get(); // the command finds this session (and stops it)
    assertEquals(ExitCodes.OK, FeditCli.run(args()));
    Path exp = dir.resolve("runs/exp/experiment");
    Path results = exp.resolve("results/seed-42.parquet");
    assertTrue(Files.exists(results));
    assertTrue(Files.exists(exp.resolve("fedit-seed-42/report.html")), "the seed's FedIT run gets its report");
    byte[] before = Files.readAllBytes(results);
    String report = io.fedit.report.RunReport.embeddedData(Files.readString(exp.resolve("fedit-seed-42/report.html")));
    assertTrue(report.contains("local_only") && report.contains("centralized"),
        "the FedIT run's report shows the arms as baselines");

    SparkSession spark = LocalSpark.get();
    spark.read().parquet(exp.resolve("results").toString()).createOrReplaceTempView("results");
    for (String split : List.of("dolly_test", "heldout", "validation")) {
      for (String arm : ExperimentRow.ARMS) {
        long n = spark.sql("SELECT count(*) FROM results WHERE category = 'ALL' AND split = '" + split + "' AND arm = '"
            + arm + "'").first().getLong(0);
        assertEquals(arm.equals(ExperimentRow.LOCAL_ONLY) ? 2 : 1, n, arm + " on " + split);
      }
    }
    assertEquals(2, spark.sql("SELECT DISTINCT member FROM results WHERE arm = 'local_only'").count());
    assertEquals(0, spark.sql("SELECT * FROM results WHERE arm <> 'local_only' AND member <> ''").count());
    Row held = spark.sql("SELECT examples FROM results WHERE split = 'heldout' AND category = 'ALL' AND arm = 'base'").first();
    assertEquals(10L, held.getLong(0));
    List<Row> rows = spark.sql("SELECT arm, split, category, response_loss, loss_ci_low, loss_ci_high, rouge_l "
        + "FROM results WHERE response_loss IS NOT NULL").collectAsList();
    assertFalse(rows.isEmpty());
    for (Row r : rows) {
      String what = r.getString(0) + " " + r.getString(1) + " " + r.getString(2);
      assertFalse(r.isNullAt(4), "interval of " + what);
      assertTrue(r.getDouble(4) <= r.getDouble(3) + 1e-12 && r.getDouble(3) <= r.getDouble(5) + 1e-12,
          what + ": " + r.getDouble(3) + " outside [" + r.getDouble(4) + ", " + r.getDouble(5) + "]");
      assertEquals(r.getString(1).equals("dolly_test"), !r.isNullAt(6), "ROUGE-L only where answers are generated: " + what);
    }
    // Trained models differ from the base model (the arms really trained).
    double base = spark.sql("SELECT response_loss FROM results WHERE arm = 'base' AND split = 'heldout' AND category = 'ALL'")
        .first().getDouble(0);
    for (String arm : List.of("fedit", "centralized", "local_only")) {
      for (Row r : spark.sql("SELECT response_loss FROM results WHERE arm = '" + arm + "' AND split = 'heldout' AND category = 'ALL'")
          .collectAsList()) {
        assertTrue(Math.abs(r.getDouble(0) - base) > 1e-6, arm + " equals the base model");
      }
    }

    // Every model's score of every record is kept; the stored comparisons follow from them (recomputed here in SQL).
    spark.read().parquet(exp.resolve("record_scores").toString()).createOrReplaceTempView("record_scores");
    assertEquals(5L * (8 + 10 + 4), spark.sql("SELECT * FROM record_scores").count(),
        "base, fedit, centralized and 2 local-only models on 8 + 10 + 4 records");
    assertEquals(0, spark.sql("SELECT split, category, arm, member FROM record_scores s GROUP BY 1, 2, 3, 4 HAVING "
        + "abs(sum(response_nll) / sum(response_tokens) - first((SELECT first(response_loss) FROM results r WHERE "
        + "r.split = s.split AND r.category = s.category AND r.arm = s.arm AND r.member = s.member))) > 1e-9").count(),
        "record scores add up to the results table");
    Row sql = spark.sql("WITH m AS (SELECT arm, member, sum(response_nll) / sum(response_tokens) AS loss FROM record_scores "
        + "WHERE split = 'heldout' GROUP BY 1, 2) SELECT (SELECT avg(loss) FROM m WHERE arm = 'local_only'), "
        + "(SELECT loss FROM m WHERE arm = 'fedit'), (SELECT loss FROM m WHERE arm = 'centralized')").first();
    double local = sql.getDouble(0), fed = sql.getDouble(1), central = sql.getDouble(2);
    spark.read().parquet(exp.resolve("comparisons").toString()).createOrReplaceTempView("comparisons");
    Row cmp = spark.sql("SELECT fedit_minus_local, gap_closed, gap_closed_ci_low, gap_closed_ci_high, seeds, below_local_only "
        + "FROM comparisons WHERE split = 'heldout' AND category = 'ALL'").first();
    assertEquals(fed - local, cmp.getDouble(0), 1e-9);
    assertEquals((local - fed) / (local - central), cmp.getDouble(1), 1e-9);
    assertTrue(cmp.getDouble(2) <= cmp.getDouble(1) + 1e-12 && cmp.getDouble(1) <= cmp.getDouble(3) + 1e-12);
    assertEquals("42", cmp.getString(4));
    long groups = spark.sql("SELECT DISTINCT split, category FROM record_scores").count();
    assertEquals(groups + 3, spark.sql("SELECT * FROM comparisons").count(), "per split: its categories + ALL, one seed");

    // Held-out and validation records are disjoint from the training clients' records.
    Path data = exp.resolve("fedit-seed-42/data");
    Set<Long> trained = new HashSet<>(spark.read().parquet(data.resolve("clients").toString()).select("record_id")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    for (String split : List.of("heldout", "validation")) {
      List<Long> ids = spark.read().parquet(data.resolve(split).toString()).select("record_id")
          .as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
      assertEquals(split.equals("heldout") ? 10 : 4, ids.size(), split);
      for (long id : ids) assertFalse(trained.contains(id), split + " record " + id + " is in the client table");
    }

    // Settings saved by an older version lack sections added since (here attack:); at their defaults they match.
    Path settings = exp.resolve("experiment.yaml");
    String saved = Files.readString(settings);
    assertTrue(saved.contains("\nattack:\n"), saved);
    Files.writeString(settings, saved.replaceAll("(?s)\nattack:\n(  [^\n]*\n)*", "\n"));
    assertFalse(Files.readString(settings).contains("malicious_clients_per_round"));
    Files.deleteIfExists(exp.resolve(".experiment.yaml.crc")); // Hadoop's local checksum of the file we edited
    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args()), "rerun with the same settings");
    assertArrayEquals(before, Files.readAllBytes(results), "a rerun keeps the seed's results as they are");
    LocalSpark.get();
    assertEquals(ExitCodes.USAGE, FeditCli.run(args("--set", "experiment.local_only_clients=3")),
        "other settings for the same experiment are refused");
  }
}
