package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.judge.JudgeServer;
import io.fedit.testing.EvalTableFixtures;
import io.fedit.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedit judge --round R} end to end: stored answers (a real eval_generations table written by Spark) graded by
 * a real HTTP server on loopback, scores in metrics/judge_scores, the key (from the environment
 * variable Surefire sets) only in the request header, reruns that keep what is there unless --replace.
 */
class JudgeCommandTest {
  static final String KEY_ENV = "FEDIT_TEST_JUDGE_KEY";
  @TempDir Path dir;

  private String[] args(String baseUrl, String... more) {
    List<String> a = new ArrayList<>(List.of("judge", "--round", "2"));
    for (String s : new String[] {"output.dir=" + dir.resolve("runs"), "run.name=judged",
        "judge.base_url=" + baseUrl, "judge.model=judge-7b", "judge.api_key_env=" + KEY_ENV,
        "judge.concurrency=2", "judge.timeout_seconds=5", "judge.initial_backoff_ms=10"}) {
      a.add("--set");
      a.add(s);
    }
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void judgesARoundsAnswersAndKeepsTheKeyOutOfEveryFile() throws Exception {
    String key = System.getenv(KEY_ENV);
    assertTrue(key != null && key.length() > 10, "Surefire sets " + KEY_ENV);
    Path run = dir.resolve("runs/judged");
    EvalTableFixtures.evalGenerations(LocalSpark.get(), run.toString(), 1, List.of("dolly_test"), 3);
    EvalTableFixtures.evalGenerations(LocalSpark.get(), run.toString(), 2, List.of("dolly_test", "vicuna80"), 5);

    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      if (n == 1) JudgeServer.status(ex, 500, "warming up");
      else if (body.contains("Answer 3 ")) JudgeServer.completion(ex, "No idea.");
      else JudgeServer.completion(ex, "Fine.\nRating: [[" + (n % 10 + 1) + "]]");
    })) {
      assertEquals(ExitCodes.OK, FeditCli.run(args(server.baseUrl())));
      assertEquals(11, server.seen().size(), "10 answers of round 2 (not round 1's), one retried after a 500");
      for (JudgeServer.Seen s : server.seen()) assertEquals("Bearer " + key, s.authorization());

      Path file = run.resolve("metrics/judge_scores/round-00002.parquet");
      assertTrue(Files.exists(file));
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
           ResultSet rs = db.createStatement().executeQuery("SELECT split, count(*), count(score), "
               + "sum(CASE WHEN status = 'unparseable' THEN 1 ELSE 0 END), min(round), max(round), "
               + "min(judge_model), max(attempts), min(score), max(score) FROM read_parquet('"
               + run.resolve("metrics/judge_scores") + "/*.parquet') GROUP BY split ORDER BY split")) {
        for (String split : new String[] {"dolly_test", "vicuna80"}) {
          assertTrue(rs.next());
          assertEquals(split, rs.getString(1));
          assertEquals(5, rs.getLong(2));
          assertEquals(4, rs.getLong(3), "answer 3 of each split was unparseable");
          assertEquals(1, rs.getLong(4));
          assertEquals(2, rs.getInt(5));
          assertEquals(2, rs.getInt(6));
          assertEquals("judge-7b", rs.getString(7));
          assertTrue(rs.getInt(9) >= 1 && rs.getInt(10) <= 10);
        }
      }

      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertFalse(text.contains(key), "the API key leaked into " + f);
        }
      }

      // Rerun: the committed scores stay as they are, without a request.
      byte[] before = Files.readAllBytes(file);
      assertEquals(ExitCodes.OK, FeditCli.run(args(server.baseUrl())));
      assertEquals(11, server.seen().size());
      assertArrayEquals(before, Files.readAllBytes(file));

      // --replace judges again and replaces the file whole.
      assertEquals(ExitCodes.OK, FeditCli.run(args(server.baseUrl(), "--replace")));
      assertEquals(21, server.seen().size());
      try (Stream<Path> files = Files.list(file.getParent())) {
        assertEquals(List.of("round-00002.parquet"),
            files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
            "no temporary file left beside it");
      }
    }
  }

  @Test
  void aRunWhoseEveryCallFailedExitsNonZeroAndARerunRetriesOnlyTheFailures() throws Exception {
    // Issue 21 §5: every call failing is not a success, and a rerun finishes the job without --replace.
    Path run = dir.resolve("runs/judged");
    EvalTableFixtures.evalGenerations(LocalSpark.get(), run.toString(), 2, List.of("dolly_test", "vicuna80"), 5);
    java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger(1);
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      boolean fail = phase.get() == 1 || (phase.get() == 2 && body.contains("Answer 2 "));
      if (fail) JudgeServer.status(ex, 503, "overloaded");
      else JudgeServer.completion(ex, "Fine.\nRating: [[7]]");
    })) {
      String[] noRetry = args(server.baseUrl(), "--set", "judge.max_retries=0");
      assertEquals(ExitCodes.ROUND_FAILED, FeditCli.run(noRetry), "all 10 calls failed");
      assertEquals(10, server.seen().size());

      phase.set(2);
      assertEquals(ExitCodes.OK, FeditCli.run(noRetry), "some answers scored: a partial success");
      assertEquals(20, server.seen().size(), "the 10 failed answers were sent again without --replace");

      phase.set(3);
      assertEquals(ExitCodes.OK, FeditCli.run(noRetry));
      assertEquals(22, server.seen().size(), "only the 2 answers still failed were sent, the 8 scores kept");
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
           ResultSet rs = db.createStatement().executeQuery("SELECT count(*), count(score), count(DISTINCT split || "
               + "CAST(record_id AS VARCHAR)) FROM read_parquet('" + run.resolve("metrics/judge_scores") + "/*.parquet')")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong(1), "one row per answer, none doubled");
        assertEquals(10, rs.getLong(2), "every answer scored");
        assertEquals(10, rs.getLong(3));
      }

      assertEquals(ExitCodes.OK, FeditCli.run(noRetry), "nothing left to retry");
      assertEquals(22, server.seen().size());
    }
  }

  @Test
  void withoutAnEndpointOrAnswersTheCommandRefuses() throws Exception {
    assertEquals(ExitCodes.USAGE, FeditCli.run("judge", "--round", "1", "--set", "output.dir=" + dir),
        "judge.base_url is not set");
    assertEquals(ExitCodes.USAGE, FeditCli.run("judge", "--round", "1", "--set", "judge.base_url=http://127.0.0.1:9/v1"),
        "a base_url without a model");
    assertEquals(ExitCodes.USAGE, FeditCli.run(args("http://127.0.0.1:9/v1")), "no stored answers at all");
  }
}
