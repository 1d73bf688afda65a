package io.fedit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.lora.AdapterWeights;
import io.fedit.round.InputHashes;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation Spark job on local[2]: partition independence, per-category counts, bad eval data. */
class EvaluatorTest {
  @TempDir Path dir;

  /** The rows with wall time zeroed (the only field allowed to differ between two runs). */
  private static List<EvalMetricsRow> numbers(EvalResult r) {
    return r.metrics().stream().map(m -> m.withWallMs(0)).toList();
  }

  @Test
  void resultDoesNotDependOnHowRecordsAreSpreadOverTasks() throws Exception {
    SparkSession spark = LocalSpark.get();
    Path data = EvalFixture.dollyTestSample(dir, 4); // 20 records, all 8 categories
    Path vicuna = dir.resolve("q.jsonl");
    Files.writeString(vicuna, """
        {"question_id": 7, "category": "generic", "turns": ["How do I relax?"]}
        {"question_id": 3, "category": "math", "turns": ["What is 2 + 2?", "and 3 + 3?"]}
        """);
    String hash = InputHashes.model(TestPaths.tinyModel().toString(), spark.sparkContext().hadoopConfiguration());
    EvalResult[] results = new EvalResult[2];
    int[] partitions = {1, 3};
    AdapterWeights adapter = null;
    for (int i = 0; i < 2; i++) {
      RunConfig cfg = EvalFixture.config("eval.path=" + data, "eval.vicuna_path=" + vicuna, "eval.max_new_tokens=6",
          "eval.partitions=" + partitions[i], "data.cutoff_len=256");
      if (adapter == null) adapter = EvalFixture.adapter(cfg);
      results[i] = new Evaluator(spark, cfg, hash).evaluate(EvalSets.configured(spark, cfg), adapter,
          cfg.lora().scaling(), 4, "round-00004", true);
    }
    // Exactly equal: every record is scored alone (batch 1) and the driver sums in record-id order.
    assertEquals(numbers(results[0]), numbers(results[1]), "1 task vs 3 tasks");
    assertEquals(results[0].generations(), results[1].generations());

    EvalResult r = results[0];
    Map<String, Long> perCategory = new TreeMap<>();
    for (String line : Files.readAllLines(data)) {
      String cat = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("category").asText();
      perCategory.merge(cat, 1L, Long::sum);
    }
    List<EvalMetricsRow> rows = r.metrics();
    assertEquals(perCategory.size() + 1, rows.size(), "one row per category and ALL, only for the scored split");
    EvalMetricsRow all = r.overall("dolly_test").orElseThrow();
    assertEquals(20, all.examples());
    long tokens = 0, scored = 0, allTokens = 0;
    double nll = 0;
    for (EvalMetricsRow m : rows) {
      assertEquals(4, m.round());
      assertEquals("round-00004", m.adapter());
      if (m.category().equals(EvalMetricsRow.ALL)) continue;
      assertEquals(perCategory.get(m.category()), m.examples(), m.category());
      tokens += m.tokens();
      scored += m.scoredExamples();
      allTokens += m.allTokens();
      nll += m.responseLoss() * m.tokens();
      assertTrue(m.rougeL() >= 0 && m.rougeL() <= 1);
    }
    assertEquals(all.tokens(), tokens);
    assertEquals(all.scoredExamples(), scored);
    assertEquals(20, scored, "context mode: every record keeps its response at cutoff_len 256");
    assertEquals(all.allTokens(), allTokens);
    assertEquals(all.responseLoss(), nll / tokens, 1e-9, "token-weighted, not a mean of category means");
    assertTrue(all.allLoss() < all.responseLoss() + 5 && all.allLoss() > 0);

    assertEquals(22, r.generations().size(), "20 answers with references + 2 Vicuna questions");
    List<EvalGenerationRow> vicunaRows = r.generations().stream().filter(g -> g.split().equals("vicuna80")).toList();
    assertEquals(List.of(3L, 7L), vicunaRows.stream().map(EvalGenerationRow::recordId).sorted().toList());
    for (EvalGenerationRow g : vicunaRows) {
      assertNull(g.reference());
      assertTrue(Double.isNaN(g.rougeL()));
    }
    for (EvalGenerationRow g : r.generations()) {
      assertTrue(g.finishReason().equals("eos") || g.finishReason().equals("length"));
      if (g.reference() != null) assertEquals(RougeL.f1(g.answer(), g.reference()), g.rougeL(), 0);
    }
  }

  @Test
  void responseModeReportsRecordsWhoseResponseWasCutAway() throws Exception {
    SparkSession spark = LocalSpark.get();
    Path data = EvalFixture.dollyTestSample(dir, 4);
    String hash = InputHashes.model(TestPaths.tinyModel().toString(), spark.sparkContext().hadoopConfiguration());
    RunConfig ctx = EvalFixture.config("eval.path=" + data, "eval.vicuna_path=", "data.cutoff_len=128");
    RunConfig resp = EvalFixture.config("eval.path=" + data, "eval.vicuna_path=", "data.cutoff_len=128",
        "eval.truncate=response");
    EvalSet set = EvalSets.configured(spark, ctx).get(0);
    EvalMetricsRow c = new Evaluator(spark, ctx, hash).evaluate(set, null, 1, 0, "base", 0).overall("dolly_test").orElseThrow();
    EvalMetricsRow t = new Evaluator(spark, resp, hash).evaluate(set, null, 1, 0, "base", 0).overall("dolly_test").orElseThrow();
    assertTrue(t.scoredExamples() < c.scoredExamples(), "long contexts push responses past 128 tokens: "
        + t.scoredExamples() + " vs " + c.scoredExamples());
    assertTrue(t.tokens() < c.tokens());
    assertNotEquals(t.responseLoss(), c.responseLoss());
    assertTrue(Double.isNaN(c.rougeL()), "no answers asked for");
  }

  @Test
  void badEvalDataNamesTheFileLineAndField() throws Exception {
    SparkSession spark = LocalSpark.get();
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"instruction\": \"a\", \"response\": \"b\"}\n{\"instruction\": \"c\"}\n");
    RunConfig cfg = EvalFixture.config("eval.path=" + bad, "eval.vicuna_path=");
    DataException e = assertThrows(DataException.class, () -> EvalSets.configured(spark, cfg));
    assertTrue(e.getMessage().contains("bad.jsonl line 2, field 'response'"), e.getMessage());

    Path q = dir.resolve("q.jsonl");
    Files.writeString(q, "{\"question_id\": 1, \"turns\": []}\n");
    DataException v = assertThrows(DataException.class, () -> EvalSets.vicuna(q.toString(), new org.apache.hadoop.conf.Configuration()));
    assertTrue(v.getMessage().contains("q.jsonl line 1, field 'turns'"), v.getMessage());
  }
}
