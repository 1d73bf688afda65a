package io.fedit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.layout.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval tables' one writer and their typed readers agree: what is published is read back, file by file. */
class EvalTablesReadTest {
  @TempDir Path dir;

  private static EvalResult result(int round, String adapter, double loss) {
    return new EvalResult(List.of(
        new EvalMetricsRow(round, adapter, "heldout", "open_qa", 4, 3, 50, loss, 200, loss + 0.5, Double.NaN, 900),
        new EvalMetricsRow(round, adapter, "heldout", EvalMetricsRow.ALL, 4, 3, 50, loss, 200, loss + 0.5, 0.25, 900)),
        List.of(new EvalGenerationRow(round, adapter, "heldout", 3, "open_qa", "Why?", "Because.", "So.", 0.5, "eos"),
            new EvalGenerationRow(round, adapter, "vicuna80", 0, "generic", "How?", "Thus.", null, Double.NaN,
                "length")));
  }

  @Test
  void publishedEvaluationsReadBackInFileNameOrder() throws Exception {
    Configuration conf = new Configuration();
    RunLayout run = RunLayout.of(dir.resolve("run").toString());
    assertEquals(List.of(), EvalTables.readMetricsTable(conf, run));

    EvalResult base = result(0, "base", 3.0), second = result(2, "round-00002", 2.5), other = result(-1, "peft", 2.75);
    EvalTables.publish(conf, run, RunLayout.roundFileName(2), second);
    EvalTables.publish(conf, run, RunLayout.roundFileName(0), base);
    EvalTables.publish(conf, run, "eval-20250101-000000-abcd1234.parquet", other);

    List<EvalMetricsRow> metrics = new ArrayList<>(other.metrics());
    metrics.addAll(base.metrics());
    metrics.addAll(second.metrics());
    assertEquals(metrics, EvalTables.readMetricsTable(conf, run), "eval-..., round-00000, round-00002; NaN kept");
    List<EvalGenerationRow> generations = new ArrayList<>(other.generations());
    generations.addAll(base.generations());
    generations.addAll(second.generations());
    assertEquals(generations, EvalTables.readGenerationsTable(conf, run));

    // Publishing a name again replaces its file: the table never holds an evaluation twice.
    EvalTables.publish(conf, run, RunLayout.roundFileName(0), result(0, "base", 3.5));
    assertEquals(3.5, EvalTables.readMetricsTable(conf, run).get(2).responseLoss());
    assertEquals(6, EvalTables.readMetricsTable(conf, run).size());
    try (var files = Files.list(dir.resolve("run/metrics/eval_metrics"))) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("_tmp-")), "no temp file left");
    }
  }

  /** Issue 21 §2: what an evaluation that died left in the tables is removed by the next one; a live one's is not. */
  @Test
  void anAbandonedTemporaryIsRemovedByTheNextPublishAndAFreshOneIsLeft() throws Exception {
    Configuration conf = new Configuration();
    RunLayout run = RunLayout.of(dir.resolve("run").toString());
    Path generations = dir.resolve("run/metrics/eval_generations");
    Files.createDirectories(generations);
    Path abandoned = generations.resolve("_tmp-round-00001.parquet-0b0e");
    Path live = generations.resolve("_tmp-round-00002.parquet-1c1f");
    Files.writeString(abandoned, "private text of a record");
    Files.writeString(live, "being written");
    Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - EvalTables.ABANDONED_AFTER.toMillis() - 60_000));
    EvalTables.publish(conf, run, RunLayout.roundFileName(3), result(3, "round-00003", 2.0));
    assertTrue(Files.notExists(abandoned), "removed");
    assertTrue(Files.exists(live), "a temporary another writer may still be filling is left alone");
    assertEquals(2, EvalTables.readMetricsTable(conf, run).size());
  }
}
