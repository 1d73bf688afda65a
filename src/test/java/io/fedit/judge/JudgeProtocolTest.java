package io.fedit.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.config.JudgeSection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The judge client against a real HTTP server on loopback speaking the chat-completions protocol:
 * normal grading, timeouts, 429 with Retry-After, 500s, permanent failures, unparseable replies and the
 * concurrency limit.
 */
class JudgeProtocolTest {
  static final String KEY = "sk-unit-7f3a-secret";
  static final StoredAnswer ANSWER = new StoredAnswer(3, "round-00003", "dolly_test", 17, "open_qa",
      "What is the capital of France?", "Paris is the capital of France.", "Paris");

  static JudgeSection section(String baseUrl, double timeoutSeconds, int maxRetries, int concurrency) {
    return new JudgeSection(baseUrl, "judge-7b", "FEDIT_JUDGE_API_KEY", timeoutSeconds, maxRetries, 20, 200,
        concurrency, 128, 0.0);
  }

  private static JudgeOutcome grade(JudgeServer server, double timeout, int retries) {
    return new ChatCompletionsClient(section(server.baseUrl(), timeout, retries, 1), KEY).grade(ANSWER, 1L);
  }

  @Test
  void gradesAnAnswerAndSendsTheProtocol() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) ->
        JudgeServer.completion(ex, "Correct and concise.\nRating: [[8]]"))) {
      JudgeOutcome o = grade(server, 5, 2);
      assertEquals(8, o.score());
      assertEquals(JudgeOutcome.OK, o.status());
      assertEquals(1, o.attempts());
      assertTrue(o.detail().contains("Correct and concise"));
      assertEquals(1, server.seen().size());
      assertEquals("Bearer " + KEY, server.seen().get(0).authorization(), "the key arrives in the header");
      JsonNode req = new ObjectMapper().readTree(server.seen().get(0).body());
      assertEquals("judge-7b", req.get("model").asText());
      assertEquals("system", req.at("/messages/0/role").asText());
      assertTrue(req.at("/messages/0/content").asText().contains("Rating: [[N]]"));
      String user = req.at("/messages/1/content").asText();
      assertTrue(user.contains("What is the capital of France?") && user.contains("[Reference answer]\nParis")
          && user.contains("Paris is the capital of France."), user);
      assertEquals(128, req.get("max_tokens").asInt());
    }
  }

  @Test
  void noKeyMeansNoAuthorizationHeaderAndNoReferenceSection() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> JudgeServer.completion(ex, "[[5]]"))) {
      StoredAnswer vicuna = new StoredAnswer(3, "round-00003", "vicuna80", 4, "writing", "Write a haiku.", "Leaves", null);
      JudgeOutcome o = new ChatCompletionsClient(section(server.baseUrl(), 5, 0, 1), null).grade(vicuna, 1L);
      assertEquals(5, o.score());
      assertNull(server.seen().get(0).authorization());
      assertFalse(server.seen().get(0).body().contains("Reference answer"));
    }
  }

  @Test
  void aTimedOutRequestIsRetriedAndAServerThatNeverAnswersIsAnError() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      if (n == 1) Thread.sleep(5_000);
      JudgeServer.completion(ex, "Rating: [[6]]");
    })) {
      JudgeOutcome o = grade(server, 0.4, 2);
      assertEquals(6, o.score());
      assertEquals(2, o.attempts(), "the first attempt timed out");
    }
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> Thread.sleep(5_000))) {
      long start = System.nanoTime();
      JudgeOutcome o = grade(server, 0.3, 1);
      assertEquals(JudgeOutcome.ERROR, o.status());
      assertNull(o.score());
      assertEquals(2, o.attempts());
      assertTrue(o.detail().contains("timed out"), o.detail());
      assertTrue((System.nanoTime() - start) / 1e9 < 4, "the timeout cut the 5 s waits");
    }
  }

  @Test
  void http429HonoursRetryAfterThenSucceeds() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      if (n == 1) {
        ex.getResponseHeaders().set("Retry-After", "1");
        JudgeServer.status(ex, 429, "{\"error\":\"rate limited\"}");
      } else {
        JudgeServer.completion(ex, "Rating: [[9]]");
      }
    })) {
      JudgeOutcome o = grade(server, 5, 3);
      assertEquals(9, o.score());
      assertEquals(2, o.attempts());
      long gapMs = (server.seen().get(1).nanos() - server.seen().get(0).nanos()) / 1_000_000;
      assertTrue(gapMs >= 950, "waited the 1 s Retry-After (backoff alone is 20 ms), waited " + gapMs + " ms");
    }
  }

  @Test
  void http500IsRetriedAndAPermanent500IsAnErrorThatNeverLeaksTheKey() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      if (n == 1) JudgeServer.status(ex, 500, "overloaded");
      else JudgeServer.completion(ex, "Rating: [[4]]");
    })) {
      JudgeOutcome o = grade(server, 5, 3);
      assertEquals(4, o.score());
      assertEquals(2, o.attempts());
    }
    try (JudgeServer server = JudgeServer.start((ex, n, body) ->
        // a careless server that echoes the request's headers into its error
        JudgeServer.status(ex, 503, "upstream down; you sent Authorization: "
            + ex.getRequestHeaders().getFirst("Authorization")))) {
      JudgeOutcome o = grade(server, 5, 2);
      assertEquals(JudgeOutcome.ERROR, o.status());
      assertNull(o.score());
      assertEquals(3, o.attempts(), "1 try + max_retries 2");
      assertEquals(3, server.seen().size());
      assertTrue(o.detail().contains("HTTP 503"), o.detail());
      assertFalse(o.detail().contains(KEY), o.detail());
    }
  }

  @Test
  void clientErrorsAreNotRetriedAndUnparseableRepliesAreRecorded() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> JudgeServer.status(ex, 401, "{\"error\":\"bad key\"}"))) {
      JudgeOutcome o = grade(server, 5, 3);
      assertEquals(JudgeOutcome.ERROR, o.status());
      assertEquals(1, o.attempts());
      assertTrue(o.detail().contains("HTTP 401"));
    }
    try (JudgeServer server = JudgeServer.start((ex, n, body) ->
        JudgeServer.completion(ex, "I cannot rate this answer. " + "x".repeat(800)))) {
      JudgeOutcome o = grade(server, 5, 3);
      assertEquals(JudgeOutcome.UNPARSEABLE, o.status());
      assertNull(o.score());
      assertEquals(1, o.attempts());
      assertTrue(o.detail().startsWith("no score found: I cannot rate this answer."), o.detail());
      assertEquals(500, o.detail().length(), "detail cut to 500 characters");
    }
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> JudgeServer.completion(ex, "Rating: [[12]]"))) {
      JudgeOutcome o = grade(server, 5, 0);
      assertEquals(JudgeOutcome.UNPARSEABLE, o.status());
      assertTrue(o.detail().contains("outside 1-10"));
    }
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> JudgeServer.status(ex, 200, "<html>not json</html>"))) {
      JudgeOutcome o = grade(server, 5, 0);
      assertEquals(JudgeOutcome.ERROR, o.status());
      assertTrue(o.detail().contains("not JSON"));
    }
  }

  @Test
  void neverMoreRequestsInFlightThanTheConcurrencyLimit() throws Exception {
    try (JudgeServer server = JudgeServer.start((ex, n, body) -> {
      Thread.sleep(120);
      JudgeServer.completion(ex, "Rating: [[" + (1 + n % 10) + "]]");
    })) {
      List<StoredAnswer> answers = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        answers.add(new StoredAnswer(1, "round-00001", "dolly_test", i, "open_qa", "q" + i, "a" + i, "r" + i));
      }
      ChatCompletionsClient client = new ChatCompletionsClient(section(server.baseUrl(), 5, 0, 3), KEY);
      List<JudgedAnswer> out = Judge.gradeAll(client, "judge-7b", answers, 3, 42, null);
      assertEquals(12, out.size());
      for (int i = 0; i < 12; i++) {
        assertEquals(i, out.get(i).answer().recordId(), "results in input order");
        assertEquals(JudgeOutcome.OK, out.get(i).outcome().status());
      }
      assertEquals(3, server.maxInFlight(), "3 at a time, and the pool did use all 3");
    }
  }
}
