package io.fedit.report;

import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Reads a run's tables generically with Spark SQL (whoever wrote them, whatever the file layout) into
 * plain rows: column name → Java value, with Parquet maps as {@code Map<String, Object>}. A table that
 * does not exist, or holds no data file yet, is absent rather than an error, so that a report can be
 * written at any stage of a run.
 */
final class RunTables {
  /** The tables the report reads, relative to the run directory. */
  static final String EVAL_METRICS = io.fedit.eval.EvalTables.METRICS_TABLE;
  static final String ROUND_METRICS = io.fedit.checkpoint.CheckpointStore.ROUND_METRICS_TABLE;
  static final String CLIENT_METRICS = io.fedit.checkpoint.CheckpointStore.CLIENT_METRICS_TABLE;
  static final String JUDGE_SCORES = io.fedit.judge.JudgeScoresTable.TABLE;
  static final String CLIENT_STATS = io.fedit.prepare.PrepareJob.CLIENT_STATS_TABLE;
  static final String EXPERIMENT_RESULTS = "experiment/" + io.fedit.experiment.ExperimentResults.TABLE;

  private final SparkSession spark;
  private final String runDir;
  private final String resultsDir;
  private final FileSystem fs;

  /** {@code resultsDir}: where experiment/results is when it is not under the run (an experiment's arm), or null. */
  RunTables(SparkSession spark, String runDir, String resultsDir) {
    this.spark = spark;
    this.runDir = runDir;
    this.resultsDir = resultsDir;
    this.fs = HadoopPaths.fs(runDir, spark.sparkContext().hadoopConfiguration());
  }

  /** The rows of {@code table}, or empty when it is absent. */
  Optional<List<Map<String, Object>>> read(String table) throws IOException {
    Path p = table.equals(EXPERIMENT_RESULTS) && resultsDir != null ? new Path(resultsDir) : new Path(runDir, table);
    if (!fs.exists(p)) return Optional.empty();
    List<Row> rows;
    try {
      // mergeSchema: files of one table written by different versions may differ by added columns.
      rows = spark.read().option("mergeSchema", "true").parquet(p.toString()).collectAsList();
    } catch (Exception e) {
      // Spark cannot infer a schema from a directory without data files (a table being started).
      if (e instanceof AnalysisException && e.getMessage() != null && e.getMessage().contains("infer")) {
        return Optional.empty();
      }
      throw e;
    }
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Row r : rows) out.add(toMap(r));
    return Optional.of(out);
  }

  /** A small JSON file of the run (e.g. data/summary.json) as text, or empty when absent. */
  Optional<String> readText(String file) throws IOException {
    Path p = new Path(runDir, file);
    if (!fs.exists(p)) return Optional.empty();
    try (var in = fs.open(p)) {
      return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Object> toMap(Row r) {
    Map<String, Object> m = new TreeMap<>();
    String[] names = r.schema().fieldNames();
    for (int i = 0; i < names.length; i++) m.put(names[i], plain(r.get(i)));
    return m;
  }

  private static Object plain(Object v) {
    if (v instanceof scala.collection.Map<?, ?> sm) {
      Map<String, Object> m = new TreeMap<>();
      JavaConverters.mapAsJavaMap(sm).forEach((k, x) -> m.put(String.valueOf(k), plain(x)));
      return m;
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> l = new ArrayList<>();
      JavaConverters.seqAsJavaList(seq).forEach(x -> l.add(plain(x)));
      return l;
    }
    if (v instanceof Object[] arr) return Arrays.asList(arr);
    return v;
  }
}
