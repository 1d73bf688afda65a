package io.fedit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.judge.JudgeOutcome;
import io.fedit.judge.JudgeScoresTable;
import io.fedit.judge.JudgedAnswer;
import io.fedit.judge.StoredAnswer;
import io.fedit.judge.StoredAnswers;
import io.fedit.testing.EvalTableFixtures;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.MiniHdfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A run directory on a real HDFS: stored answers read with the plain Parquet reader, judge scores
 * written (and replaced only when asked) through temp file and rename, and report.html written there.
 */
@Tag("slow") // HDFS minicluster; jobs/test --fast leaves it out
class ReportAndJudgeHdfsTest {
  private static JsonNode read(FileSystem fs, String path) throws IOException {
    try (var in = fs.open(new Path(path))) {
      return new ObjectMapper().readTree(RunReport.embeddedData(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
  }

  @Test
  void judgeScoresAndTheReportLiveOnHdfs() throws Exception {
    try (MiniHdfs hdfs = new MiniHdfs()) {
      String runDir = hdfs.uri() + "/fedit/runs/h";
      EvalTableFixtures.evalGenerations(LocalSpark.get(), runDir, 1, List.of("dolly_test"), 4);
      List<StoredAnswer> answers = StoredAnswers.ofRound(hdfs.conf(), runDir, 1);
      assertEquals(4, answers.size());
      assertEquals("Reference 2", answers.get(2).reference());

      JudgeScoresTable table = new JudgeScoresTable(runDir, hdfs.conf());
      List<JudgedAnswer> first = answers.stream()
          .map(a -> new JudgedAnswer(a, "j", new JudgeOutcome(5, "ok", "Rating: [[5]]", 1, 3))).toList();
      table.write(1, first, false);
      assertThrows(IOException.class, () -> table.write(1, first, false), "no silent replacement");
      List<JudgedAnswer> second = answers.stream()
          .map(a -> new JudgedAnswer(a, "j", new JudgeOutcome(9, "ok", "Rating: [[9]]", 1, 3))).toList();
      table.write(1, second, true);

      // Two evaluated splits whose best rounds differ: dolly_test keeps falling, heldout is best at round 1.
      EvalTableFixtures.evalMetrics(LocalSpark.get(), runDir, List.of("dolly_test", "heldout"), 2, 1);
      FileSystem fs = hdfs.fs();
      JsonNode byDefault = read(fs, RunReport.write(LocalSpark.get(), "h", runDir));
      assertEquals("heldout", byDefault.at("/best/split").asText(), "heldout is preferred without eval.split");
      assertEquals(1, byDefault.at("/best/round").asInt());
      JsonNode d = read(fs, RunReport.write(LocalSpark.get(), "h", runDir, "dolly_test"));
      assertEquals("dolly_test", d.at("/best/split").asText(), "the run's eval.split decides, as on the console");
      assertEquals(9.0, d.at("/judge/0/mean_score").asDouble(), "the replaced scores, read from HDFS");
      assertEquals(4, d.at("/judge/0/scored").asInt());
      assertEquals(List.of("round-00001.parquet"),
          List.of(fs.listStatus(new Path(runDir, "metrics/judge_scores"))).stream()
              .map(s -> s.getPath().getName()).filter(n -> !n.startsWith(".")).toList());
      assertTrue(fs.listStatus(new Path(runDir)).length > 0);
      for (var s : fs.listStatus(new Path(runDir))) {
        assertTrue(!s.getPath().getName().startsWith("_tmp"), "no temporary file left: " + s.getPath());
      }
    }
  }
}
