package io.fedit.judge;

import static org.apache.spark.sql.functions.col;

import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one round's answers from {@code <run>/metrics/eval_generations} (written by the evaluation,
 * schema in the README) with Spark SQL, so that whatever file layout the writer chose reads the same.
 * Only the columns the judge needs are read; rows come sorted by split, adapter and record id.
 */
public final class StoredAnswers {
  private StoredAnswers() {}

  public static String table(String runDir) {
    return new Path(runDir, "metrics/eval_generations").toString();
  }

  public static List<StoredAnswer> ofRound(SparkSession spark, String runDir, int round) throws IOException {
    String table = table(runDir);
    FileSystem fs = HadoopPaths.fs(table, spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(new Path(table))) {
      throw new IllegalArgumentException("no stored answers: " + HadoopPaths.display(table)
          + " does not exist (run the evaluation with generation first)");
    }
    List<Row> rows = spark.read().parquet(table)
        .where(col("round").equalTo(round))
        .select(col("round").cast("int"), col("adapter"), col("split"), col("record_id").cast("long"),
            col("category"), col("prompt"), col("answer"), col("reference"))
        .orderBy("split", "adapter", "record_id")
        .collectAsList();
    List<StoredAnswer> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new StoredAnswer(r.getInt(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
          r.getString(5), r.getString(6), r.getString(7)));
    }
    return out;
  }
}
