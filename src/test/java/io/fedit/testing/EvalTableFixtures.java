package io.fedit.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Test fixtures of the tables other parts of the system write, with the schemas agreed between
 * engineers (README "What it writes"): metrics/eval_metrics, metrics/eval_generations and
 * experiment/results, written as real Parquet by Spark (one append per evaluation event, as the
 * writers do). Numbers are synthetic but vary by round, split, category and arm, so that a reader
 * that mixes rows up gets different figures.
 */
public final class EvalTableFixtures {
  public static final List<String> CATEGORIES = List.of("brainstorming", "classification", "closed_qa",
      "creative_writing", "general_qa", "information_extraction", "open_qa", "summarization");

  public static final StructType EVAL_METRICS = new StructType()
      .add("round", DataTypes.IntegerType, false).add("adapter", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false).add("category", DataTypes.StringType, false)
      .add("examples", DataTypes.LongType, false).add("scored_examples", DataTypes.LongType, false)
      .add("tokens", DataTypes.LongType, false).add("response_loss", DataTypes.DoubleType, true)
      .add("all_tokens", DataTypes.LongType, false).add("all_loss", DataTypes.DoubleType, true)
      .add("rouge_l", DataTypes.DoubleType, true).add("wall_ms", DataTypes.LongType, false);

  public static final StructType EVAL_GENERATIONS = new StructType()
      .add("round", DataTypes.IntegerType, false).add("adapter", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false).add("record_id", DataTypes.LongType, false)
      .add("category", DataTypes.StringType, true).add("prompt", DataTypes.StringType, false)
      .add("answer", DataTypes.StringType, false).add("reference", DataTypes.StringType, true)
      .add("rouge_l", DataTypes.DoubleType, true).add("finish_reason", DataTypes.StringType, false);

  public static final StructType EXPERIMENT_RESULTS = new StructType()
      .add("arm", DataTypes.StringType, false).add("seed", DataTypes.LongType, false)
      .add("member", DataTypes.StringType, false).add("split", DataTypes.StringType, false)
      .add("category", DataTypes.StringType, false).add("examples", DataTypes.LongType, false)
      .add("tokens", DataTypes.LongType, false).add("response_loss", DataTypes.DoubleType, true)
      .add("all_loss", DataTypes.DoubleType, true).add("rouge_l", DataTypes.DoubleType, true)
      .add("loss_ci_low", DataTypes.DoubleType, true).add("loss_ci_high", DataTypes.DoubleType, true);

  private EvalTableFixtures() {}

  static String adapter(int round) {
    return round == 0 ? "base" : String.format("round-%05d", round);
  }

  /**
   * eval_metrics of rounds 0..lastRound on {@code splits}: per category and "ALL". The first split's
   * loss falls every round; the other splits' fall until {@code bestRound} and rise after it. Category "summarization" scores nothing (null
   * loss), as truncation does to long contexts.
   */
  public static void evalMetrics(SparkSession spark, String runDir, List<String> splits, int lastRound, int bestRound) {
    for (int round = 0; round <= lastRound; round++) {
      List<Row> rows = new ArrayList<>();
      for (int s = 0; s < splits.size(); s++) {
        // The first split's loss keeps falling; the others fall until bestRound and rise after it.
        double base = s == 0 ? 3.2 - 0.07 * round
            : 3.2 + 0.05 * s - 0.07 * Math.min(round, bestRound) + 0.03 * Math.max(0, round - bestRound);
        long allTokens = 0;
        long respTokens = 0;
        double nll = 0;
        for (int c = 0; c < CATEGORIES.size(); c++) {
          boolean scored = !CATEGORIES.get(c).equals("summarization");
          long tokens = scored ? 300 + 17L * c : 0;
          double loss = base + 0.11 * c - 0.004 * round * c;
          rows.add(RowFactory.create(round, adapter(round), splits.get(s), CATEGORIES.get(c), 10L,
              scored ? 10L - c % 3 : 0L, tokens, scored ? loss : null, 900L + c, loss - 0.8, 0.1 + 0.01 * round, 1234L));
          respTokens += tokens;
          nll += scored ? loss * tokens : 0;
          allTokens += 900 + c;
        }
        rows.add(RowFactory.create(round, adapter(round), splits.get(s), "ALL", 80L, 72L, respTokens,
            nll / respTokens, allTokens, base - 0.75, 0.1 + 0.01 * round, 1234L));
      }
      append(spark, rows, EVAL_METRICS, runDir + "/metrics/eval_metrics");
    }
  }

  /** eval_generations of one round: {@code n} answers per split (vicuna80 has no reference). */
  public static void evalGenerations(SparkSession spark, String runDir, int round, List<String> splits, int n) {
    List<Row> rows = new ArrayList<>();
    for (String split : splits) {
      boolean ref = !split.equals("vicuna80");
      for (long i = 0; i < n; i++) {
        rows.add(RowFactory.create(round, adapter(round), split, i, CATEGORIES.get((int) (i % 8)),
            "Question " + i + " of " + split + "?", "Answer " + i + " <b>&</b>", ref ? "Reference " + i : null,
            ref ? 0.25 : null, i % 2 == 0 ? "eos" : "length"));
      }
    }
    append(spark, rows, EVAL_GENERATIONS, runDir + "/metrics/eval_generations");
  }

  /** experiment/results: base, centralized and fedit × seeds, local_only × seeds × members, per category and ALL. */
  public static void experimentResults(SparkSession spark, String runDir, List<String> splits, int seeds, int members) {
    List<Row> rows = new ArrayList<>();
    String[] arms = {"base", "local_only", "centralized", "fedit"};
    double[] level = {3.25, 3.18, 2.95, 3.0};
    for (int a = 0; a < arms.length; a++) {
      for (long seed = 1; seed <= seeds; seed++) {
        int m = arms[a].equals("local_only") ? members : 1;
        for (int k = 0; k < m; k++) {
          String member = arms[a].equals("local_only") ? "client-" + k : "";
          for (String split : splits) {
            List<String> cats = new ArrayList<>(CATEGORIES);
            cats.add("ALL");
            for (int c = 0; c < cats.size(); c++) {
              double loss = level[a] + 0.01 * seed + 0.02 * k + 0.005 * c;
              rows.add(RowFactory.create(arms[a], seed, member, split, cats.get(c), 10L, 300L, loss, loss - 0.8,
                  null, loss - 0.02, loss + 0.02));
            }
          }
        }
      }
    }
    append(spark, rows, EXPERIMENT_RESULTS, runDir + "/experiment/results");
  }

  private static void append(SparkSession spark, List<Row> rows, StructType schema, String path) {
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Append).parquet(path);
  }
}
