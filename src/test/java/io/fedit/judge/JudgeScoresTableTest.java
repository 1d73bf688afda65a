package io.fedit.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** judge_scores written by its owner reads back through its owner's typed reader, nulls included. */
class JudgeScoresTableTest {
  @TempDir Path dir;

  @Test
  void writtenRoundsReadBackRowByRow() throws Exception {
    JudgeScoresTable table = new JudgeScoresTable(dir.resolve("run").toString(), new Configuration());
    assertEquals(List.of(), table.readAll());
    StoredAnswer a = new StoredAnswer(2, "round-00002", "vicuna80", 7, null, "q", "a", null);
    StoredAnswer b = new StoredAnswer(2, "round-00002", "dolly_test", 3, "open_qa", "q", "a", "r");
    table.write(2, List.of(new JudgedAnswer(a, "judge-7b", new JudgeOutcome(8, "ok", "fine [[8]]", 1, 120)),
        new JudgedAnswer(b, "judge-7b", new JudgeOutcome(null, "error", null, 3, 9000))), false);
    table.write(1, List.of(new JudgedAnswer(new StoredAnswer(1, "round-00001", "vicuna80", 7, "generic", "q", "a",
        null), "judge-7b", new JudgeOutcome(null, "unparseable", "no score", 1, 80))), false);

    assertEquals(List.of(
        new JudgeScoreRow(1, "round-00001", "vicuna80", 7, "generic", "judge-7b", null, "unparseable", "no score", 1, 80),
        new JudgeScoreRow(2, "round-00002", "vicuna80", 7, null, "judge-7b", 8, "ok", "fine [[8]]", 1, 120),
        new JudgeScoreRow(2, "round-00002", "dolly_test", 3, "open_qa", "judge-7b", null, "error", null, 3, 9000)),
        table.readAll());
    assertEquals(dir.resolve("run/metrics/judge_scores/round-00002.parquet").toUri().getPath(),
        table.file(2).toUri().getPath());
  }
}
