package io.fedit.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.layout.RunLayout.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names of a run on disk are a public format (README, notebooks, other tools read them): this pins every one
 * the layout hands out, the round naming both ways, and which files count as a table's data.
 */
class RunLayoutTest {
  private static final RunLayout RUN = RunLayout.of("hdfs://nn:8020/runs/r1");

  private static String rel(org.apache.hadoop.fs.Path p) {
    String s = p.toString(), base = RUN.runDir().toString() + "/";
    assertTrue(s.startsWith(base), s + " is under the run directory");
    return s.substring(base.length());
  }

  @Test
  void everyFolderFileAndTableHasItsDocumentedName() {
    assertEquals("data", rel(RUN.dataDir()));
    assertEquals("data/summary.json", rel(RUN.prepareSummary()));
    assertEquals("data/summary.json", RunLayout.prepareSummaryRelative());
    assertEquals("data/clients", rel(RunLayout.clientTable(RUN.dataDir())));
    assertEquals("data/client_stats", rel(RunLayout.clientStatsTable(RUN.dataDir())));
    assertEquals("data/heldout", rel(RunLayout.heldOutSplit(RUN.dataDir(), "heldout")));
    assertEquals("rounds", rel(RUN.roundsDir()));
    assertEquals("rounds/round-00007", rel(RUN.roundDir(7)));
    assertEquals("evaluations", rel(RUN.evaluationsDir()));
    assertEquals("report.html", rel(RUN.reportFile()));
    assertEquals("_writer.lock", rel(RUN.writerLock()));
    assertTrue(RunLayout.isHidden(RUN.writerLock().getName()), "readers of the run skip the lock");
    assertEquals("experiment", rel(RUN.experimentDir()));
    assertEquals("experiment/experiment.yaml", rel(RUN.experimentSettings()));
    assertEquals("fedit-seed-42", RunLayout.experimentArmRunName(42));
    assertEquals("seed-42.parquet", RunLayout.seedFileName(42));
    assertEquals("comparisons.parquet", RunLayout.comparisonsFileName());

    assertEquals(List.of("metrics/client_metrics", "metrics/round_metrics", "metrics/eval_metrics",
        "metrics/eval_generations", "metrics/judge_scores", "privacy/ledger", "data/client_stats",
        "experiment/results", "experiment/record_scores", "experiment/comparisons"),
        List.of(Table.values()).stream().map(Table::relativePath).toList());
    for (Table t : Table.values()) assertEquals(t.relativePath(), rel(RUN.table(t)));
    assertEquals("eval_metrics", Table.EVAL_METRICS.dirName());
    assertEquals("metrics/judge_scores/round-00003.parquet", rel(RUN.roundFile(Table.JUDGE_SCORES, 3)));

    List<String> roundFiles = List.of(RunLayout.ADAPTER_FILE, RunLayout.PEFT_DIR, RunLayout.CLIENT_METRICS_FILE,
        RunLayout.ROUND_METRICS_FILE, RunLayout.CLIENT_UPDATES_FILE, RunLayout.STRATEGY_STATE_DIR,
        RunLayout.EVAL_METRICS_FILE, RunLayout.EVAL_GENERATIONS_FILE, RunLayout.CLIENT_STATE_DIR,
        RunLayout.PRIVACY_LEDGER_FILE, RunLayout.MANIFEST_FILE, RunLayout.SUCCESS_FILE);
    assertEquals(List.of("adapter.parquet", "peft", "client_metrics.parquet", "round_metrics.parquet",
        "client_updates.parquet", "strategy_state", "eval_metrics.parquet", "eval_generations.parquet",
        "client_state", "privacy_ledger.parquet", "manifest.json", "_SUCCESS"), roundFiles);
    assertEquals(List.of("summary.json", "config.yaml", "fingerprint.json"), List.of(RunLayout.PREPARE_SUMMARY_FILE,
        RunLayout.PREPARE_CONFIG_FILE, RunLayout.PREPARE_FINGERPRINT_FILE));
  }

  @Test
  void roundsAreNamedWithFiveDigitsAndParsedBack() {
    assertEquals("round-00000", RunLayout.roundName(0));
    assertEquals("round-00042", RunLayout.roundName(42));
    assertEquals("round-123456", RunLayout.roundName(123456), "more than five digits are kept, not cut");
    assertEquals("round-00042.parquet", RunLayout.roundFileName(42));
    assertEquals("base", RunLayout.adapterName(0));
    assertEquals("round-00003", RunLayout.adapterName(3));

    for (int r : new int[] {0, 1, 99999, 100000}) {
      assertEquals(OptionalInt.of(r), RunLayout.parseRoundDir(RunLayout.roundName(r)));
      assertEquals(OptionalInt.of(r), RunLayout.parseRoundFile(RunLayout.roundFileName(r)));
    }
    for (String other : new String[] {"round-1", "round-00001.parquet.crc", "_tmp-round-00001-x", "round-0001a",
        "eval-20250101-000000-abcd1234.parquet"}) {
      assertEquals(OptionalInt.empty(), RunLayout.parseRoundDir(other), other);
      assertEquals(OptionalInt.empty(), RunLayout.parseRoundFile(other), other);
    }
    assertTrue(RunLayout.newEvaluationFileName().matches("eval-\\d{8}-\\d{6}-[0-9a-f]{8}\\.parquet"));
  }

  @Test
  void temporaryNamesAreHiddenFreshAndRecognised() {
    org.apache.hadoop.fs.Path a = RUN.newTempRoundDir(2), b = RUN.newTempRoundDir(2);
    assertNotEquals(a, b);
    assertEquals(RUN.roundsDir(), a.getParent());
    assertTrue(RunLayout.isHidden(a.getName()) && a.getName().startsWith("_tmp-round-00002-"));
    assertEquals(OptionalInt.empty(), RunLayout.parseRoundDir(a.getName()));

    org.apache.hadoop.fs.Path staging = RUN.newStagingDir(2);
    assertTrue(RUN.isStagingDir(staging));
    assertTrue(staging.getName().startsWith("_tmp-updates-round-00002-"));
    assertFalse(RUN.isStagingDir(a), "a commit's temp dir is not a staging dir");
    assertFalse(RunLayout.of("hdfs://nn:8020/runs/other").isStagingDir(staging), "another run's");

    org.apache.hadoop.fs.Path metrics = RUN.newTempRoundFile(Table.ROUND_METRICS, 5);
    assertEquals(RUN.table(Table.ROUND_METRICS), metrics.getParent());
    assertTrue(RunLayout.isHidden(metrics.getName()) && metrics.getName().endsWith(".parquet"));
    assertEquals(OptionalInt.empty(), RunLayout.parseRoundFile(metrics.getName()));

  }

  @Test
  void tableFilesAreTheVisibleParquetFilesInPathOrder(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    Path table = dir.resolve("metrics/eval_metrics");
    assertEquals(List.of(), TableFiles.of(conf, new org.apache.hadoop.fs.Path(table.toUri())), "absent table");
    Files.createDirectories(table.resolve("split=heldout"));
    Files.createDirectories(table.resolve("_temporary/0"));
    for (String f : new String[] {"round-00002.parquet", "round-00000.parquet", "eval-x.parquet", "_SUCCESS",
        ".round-00000.parquet.crc", "_tmp-round-00003-u.parquet", "notes.txt", "split=heldout/part-0.parquet",
        "_temporary/0/part-1.parquet"}) {
      Files.writeString(table.resolve(f), "x");
    }
    String prefix = table.toString() + "/";
    List<String> listed = TableFiles.of(conf, new org.apache.hadoop.fs.Path(table.toUri())).stream()
        .map(p -> p.toUri().getPath().substring(prefix.length())).toList();
    assertEquals(List.of("eval-x.parquet", "round-00000.parquet", "round-00002.parquet",
        "split=heldout/part-0.parquet"), listed);
  }
}
