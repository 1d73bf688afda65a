package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalTables;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation inside train (base model as round 0, each round's adapter committed with the round) and the
 * evaluate command, which must reproduce the committed rows: base == round 0, --adapter round-N/peft == round N.
 */
@Tag("slow") // trains two rounds first; jobs/test --fast leaves it out
class EvaluateCommandTest {
  @TempDir Path dir;

  private String[] args(String... command) throws Exception {
    Path data = TestPaths.dollySample(dir, 60);
    List<String> lines = Files.readAllLines(TestPaths.dollyTest());
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 8) sample.add(lines.get(i));
    Path eval = dir.resolve("eval.jsonl");
    Files.write(eval, sample);
    Path vicuna = dir.resolve("vicuna.jsonl");
    Files.writeString(vicuna, "{\"question_id\": 1, \"category\": \"generic\", \"turns\": [\"How do I sleep well?\"]}\n");
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + data, "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "partition.num_clients=2", "partition.min_records_per_client=20",
        "federation.client_fraction=0.5", "federation.rounds=2", "data.cutoff_len=160", "train.batch_size=2",
        "train.micro_batch_size=2", "train.max_steps=2", "train.threads=1", "train.learning_rate=0.02",
        "eval.path=" + eval, "eval.vicuna_path=" + vicuna, "eval.max_new_tokens=4"}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  /** Runs the CLI, returning its stdout. */
  private static String run(int expectedExit, String... args) {
    PrintStream before = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    LocalSpark.get(); // the command finds this session (and stops it)
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertEquals(expectedExit, FeditCli.run(args), () -> buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(before);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static List<EvalMetricsRow> numbers(List<EvalMetricsRow> rows) {
    return rows.stream().map(m -> new EvalMetricsRow(0, "", m.split(), m.category(), m.examples(), m.scoredExamples(),
        m.tokens(), m.responseLoss(), m.allTokens(), m.allLoss(), m.rougeL(), 0)).toList();
  }

  private static List<EvalMetricsRow> readAll(Path table) throws Exception {
    List<EvalMetricsRow> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(table)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        out.addAll(EvalTables.readMetrics(new Configuration(), new org.apache.hadoop.fs.Path(f.toUri())));
      }
    }
    return out;
  }

  @Test
  void trainEvaluatesEachRoundAndTheEvaluateCommandReproducesTheCommittedRows() throws Exception {
    String out = run(ExitCodes.OK, args("train"));
    assertTrue(out.contains("round 0 (base model): held-out dolly_test response loss"), out);
    assertTrue(out.contains("round 1/2:") && out.contains("round 2/2:"), out);
    assertTrue(out.lines().filter(l -> l.startsWith("round ") && l.contains("held-out dolly_test response loss")).count() == 3, out);
    assertTrue(out.contains("best round: "), out);

    Path run = dir.resolve("runs/dolly-fedit");
    CheckpointStore store = CheckpointStore.forReading(run.toString(), new Configuration());
    List<EvalMetricsRow> base = store.readBaseEvalMetrics();
    List<EvalMetricsRow> round2 = store.readEvalMetrics(2);
    assertFalse(base.isEmpty());
    assertFalse(store.readEvalMetrics(1).isEmpty(), "eval.every_rounds 1");
    assertTrue(store.loadManifest(2).files().containsKey("eval_generations.parquet"), "eval files are part of the round");
    store.verify(2);

    // Readable by Spark SQL as one table each: rounds 0, 1, 2; answers at round 0 (base) and 2 (the last).
    SparkSession spark = LocalSpark.get();
    spark.read().parquet(run.resolve("metrics/eval_metrics").toString()).createOrReplaceTempView("m");
    List<Row> rounds = spark.sql(
        "SELECT round, adapter, response_loss, scored_examples, examples FROM m WHERE category = 'ALL' ORDER BY round")
        .collectAsList();
    assertEquals(List.of(0, 1, 2), rounds.stream().map(r -> r.getInt(0)).toList());
    assertEquals(List.of("base", "round-00001", "round-00002"), rounds.stream().map(r -> r.getString(1)).toList());
    assertEquals(10L, rounds.get(0).getLong(4));
    spark.read().parquet(run.resolve("metrics/eval_generations").toString()).createOrReplaceTempView("g");
    List<Row> gens = spark.sql("SELECT round, split, count(*), count(reference) FROM g GROUP BY round, split ORDER BY round, split")
        .collectAsList();
    assertEquals("[[0,dolly_test,10,10], [0,vicuna80,1,0], [2,dolly_test,10,10], [2,vicuna80,1,0]]", gens.toString());

    // evaluate (the base model) equals round 0; evaluate --adapter round-00002/peft equals round 2.
    // The run's tables already hold round 0, so the command writes beside them (evaluations/).
    run(ExitCodes.OK, args("evaluate", "--no-generate"));
    List<EvalMetricsRow> again = readAll(run.resolve("evaluations/metrics/eval_metrics"));
    assertEquals(0, again.get(0).round());
    assertEquals(base.stream().map(EvalMetricsRowNoRouge::of).toList(),
        again.stream().map(EvalMetricsRowNoRouge::of).toList(), "evaluate of the base model == round 0");

    String peft = run.resolve("rounds/round-00002/peft").toString();
    String printed = run(ExitCodes.OK, args("evaluate", "--adapter", peft));
    assertTrue(printed.contains("evaluate " + peft + " on dolly_test"), printed);
    assertTrue(printed.contains("ALL"), printed);
    // --adapter rows land in the run's own table (round -1, adapter = the directory), beside the rounds' rows.
    List<EvalMetricsRow> viaPeft = readAll(run.resolve("metrics/eval_metrics")).stream()
        .filter(m -> m.adapter().equals(peft)).toList();
    assertFalse(viaPeft.isEmpty());
    assertEquals(-1, viaPeft.get(0).round());
    assertEquals(numbers(round2), numbers(viaPeft), "same numbers, ROUGE-L included");
  }

  /** Metrics without ROUGE-L (evaluate --no-generate has none). */
  private record EvalMetricsRowNoRouge(String split, String category, long examples, long scored, long tokens,
      double loss, long allTokens, double allLoss) {
    static EvalMetricsRowNoRouge of(EvalMetricsRow m) {
      return new EvalMetricsRowNoRouge(m.split(), m.category(), m.examples(), m.scoredExamples(), m.tokens(),
          m.responseLoss(), m.allTokens(), m.allLoss());
    }
  }
}
