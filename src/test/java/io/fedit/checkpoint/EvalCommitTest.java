package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.round;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.eval.EvalGenerationRow;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalTables;
import io.fedit.layout.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eval rows travel with the round commit (manifest, checksums, tables); crash cleanup covers the eval tables. */
class EvalCommitTest {
  @TempDir Path dir;

  /** File names in a table directory, without the checksum files ('.name.crc') the local filesystem adds. */
  private static List<String> visible(Path table) throws java.io.IOException {
    try (var files = Files.list(table)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }

  private static EvalResult rows(int round) {
    return new EvalResult(List.of(
        new EvalMetricsRow(round, "round-" + round, "dolly_test", "open_qa", 10, 9, 120, 3.25, 400, 3.5, Double.NaN, 1500),
        new EvalMetricsRow(round, "round-" + round, "dolly_test", "ALL", 10, 9, 120, 3.25, 400, 3.5, 0.125, 1500)),
        List.of(new EvalGenerationRow(round, "round-" + round, "vicuna80", 7, "generic", "How?", "Like so.", null,
            Double.NaN, "eos")));
  }

  @Test
  void evalRowsAreCommittedWithTheRoundAndPublishedAsTables() throws Exception {
    Configuration conf = new Configuration();
    CheckpointStore store = new CheckpointStore(dir.resolve("run").toString(), conf);
    store.commit(round(1, false).withEval(rows(1)));
    store.commit(round(2, false)); // a round without evaluation

    assertEquals(rows(1).metrics(), store.readEvalMetrics(1), "NaN → null → NaN round trip");
    assertEquals(List.of(), store.readEvalMetrics(2));
    assertTrue(store.loadManifest(1).files().containsKey(RunLayout.EVAL_GENERATIONS_FILE));
    store.verify(1);
    Path table = dir.resolve("run/metrics/eval_metrics");
    assertEquals(List.of("round-00001.parquet"), visible(table));
    var gens = EvalTables.readGenerations(conf,
        new org.apache.hadoop.fs.Path(dir.resolve("run/metrics/eval_generations/round-00001.parquet").toUri()));
    assertEquals(rows(1).generations(), gens);
    // The tables' one writer writes the same bytes as the round's checksummed files.
    for (String t : List.of("eval_metrics", "eval_generations")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("run/rounds/round-00001/" + t + ".parquet")),
          Files.readAllBytes(dir.resolve("run/metrics/" + t + "/round-00001.parquet")), t);
    }

    assertThrows(IllegalArgumentException.class, () -> round(3, false).withEval(rows(2)), "rows of another round");
  }

  @Test
  void baseEvaluationIsRoundZeroAndSurvivesCrashCleanupWhileLeftoversGo() throws Exception {
    Configuration conf = new Configuration();
    String run = dir.resolve("run").toString();
    CheckpointStore store = new CheckpointStore(run, conf);
    assertFalse(store.hasBaseEvaluation());
    store.commitBaseEvaluation(rows(0));
    assertTrue(store.hasBaseEvaluation());
    store.commit(round(1, false).withEval(rows(1)));

    // What a crash can leave: a temp file, and the table copy of a round that never got its _SUCCESS.
    Path table = dir.resolve("run/metrics/eval_metrics");
    Files.copy(table.resolve("round-00001.parquet"), table.resolve("round-00002.parquet"));
    Files.writeString(table.resolve("_tmp-round-00002-x.parquet"), "partial");
    Files.copy(dir.resolve("run/metrics/eval_generations/round-00001.parquet"),
        dir.resolve("run/metrics/eval_generations/round-00002.parquet"));

    CheckpointStore reopened = new CheckpointStore(run, conf);
    assertEquals(List.of("round-00000.parquet", "round-00001.parquet"),
        visible(table));
    assertFalse(Files.exists(dir.resolve("run/metrics/eval_generations/round-00002.parquet")));
    assertEquals(rows(0).metrics(), reopened.readBaseEvalMetrics());
  }
}
