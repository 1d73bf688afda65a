package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.round;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import io.fedit.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the metrics tables as an analyst would: one path per table, plain Spark SQL. */
class MetricsSparkSqlTest {
  @TempDir Path dir;

  @Test
  void metricsTablesReadAsOneTableEachInSparkSql() throws IOException {
    CheckpointStore store = new CheckpointStore(dir.resolve("run").toString(), new Configuration());
    for (int r = 1; r <= 3; r++) store.commit(round(r, false));

    SparkSession spark = LocalSpark.get(); // shared by the test JVM: never stopped here
    spark.read().parquet(store.clientMetricsTable()).createOrReplaceTempView("client_metrics");
    spark.read().parquet(store.roundMetricsTable()).createOrReplaceTempView("round_metrics");

    List<Row> byStatus = spark.sql(
        "SELECT status, count(*) AS n, sum(examples) AS examples FROM client_metrics GROUP BY status ORDER BY status")
        .collectAsList();
    assertEquals("accepted", byStatus.get(0).getString(0));
    assertEquals(6L, byStatus.get(0).getLong(1)); // a and b in 3 rounds
    assertEquals(120L, byStatus.get(0).getLong(2)); // (10 + 30) × 3
    assertEquals("failed", byStatus.get(1).getString(0));
    assertEquals("rejected", byStatus.get(2).getString(0));

    // Example-weighted loss recomputed in SQL agrees with round_metrics.train_loss.
    List<Row> joined = spark.sql("""
        SELECT r.round, r.train_loss, sum(c.examples * c.mean_loss) / sum(c.examples) AS sql_loss
        FROM round_metrics r JOIN client_metrics c ON c.round = r.round AND c.status = 'accepted'
        GROUP BY r.round, r.train_loss ORDER BY r.round""").collectAsList();
    assertEquals(3, joined.size());
    for (Row row : joined) assertEquals(row.getDouble(1), row.getDouble(2), 1e-12);

    // NaN losses of failed clients are nulls, so avg() skips them.
    Row avg = spark.sql("SELECT avg(mean_loss), count(mean_loss) FROM client_metrics").first();
    assertEquals(6L, avg.getLong(1));
    assertEquals(3.0, avg.getDouble(0), 1e-12); // three 2.0s and three 4.0s

    // The adapter table is readable too: one row per tensor with array columns.
    Row tensor = spark.read().parquet(store.roundDir(1) + "/adapter.parquet")
        .selectExpr("count(*)", "sum(size(values))").first();
    assertEquals(8L, tensor.getLong(0));
    assertEquals(64L, tensor.getLong(1));
  }
}
