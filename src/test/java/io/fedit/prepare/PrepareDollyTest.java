package io.fedit.prepare;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare on the full shipped Dolly training set, as the README's default job runs it. */
@Tag("slow") // prepares all of Dolly twice; jobs/test --fast leaves it out
class PrepareDollyTest {
  @TempDir Path dir;

  @Test
  void hundredDirichletClientsHoldEveryRecordExactlyOnceAndRerunsAreIdentical() {
    SparkSession spark = LocalSpark.get();
    RunConfig a = Configs.forTest(dir.resolve("a"), "partition.method=dirichlet", "partition.num_clients=100",
        "partition.alpha=0.5");
    RunConfig b = Configs.forTest(dir.resolve("b"), "partition.method=dirichlet", "partition.num_clients=100",
        "partition.alpha=0.5");
    PrepareSummary sa = PrepareJob.run(spark, a);
    assertEquals(14_931, sa.records());
    assertEquals(100, sa.clients());
    assertFalse(sa.reused());

    Dataset<Row> clients = spark.read().parquet(PrepareJob.dataDir(a) + "/clients");
    assertEquals(14_931, clients.count());
    assertEquals(14_931, clients.select("record_id").distinct().count(), "no record twice");
    assertEquals(14_931, clients.select("source_file", "source_line").distinct().count(), "no line twice");
    Row range = clients.agg(org.apache.spark.sql.functions.min("source_line"),
        org.apache.spark.sql.functions.max("source_line")).first();
    assertEquals(1L, range.getLong(0));
    assertEquals(14_931L, range.getLong(1), "every line of train.jsonl is there: none lost");
    assertEquals(100, clients.select("client_id").distinct().count());

    Dataset<Row> stats = spark.read().parquet(PrepareJob.dataDir(a) + "/client_stats");
    assertEquals(100, stats.count());
    assertEquals(14_931L, stats.agg(org.apache.spark.sql.functions.sum("records")).first().getLong(0));
    Row c0 = stats.orderBy("client_id").first();
    long perCategory = c0.getJavaMap(c0.fieldIndex("category_counts")).values().stream()
        .mapToLong(v -> ((Number) v).longValue()).sum();
    assertEquals(c0.getLong(c0.fieldIndex("records")), perCategory);

    PrepareSummary sb = PrepareJob.run(spark, b);
    assertEquals(sa.categorySkew(), sb.categorySkew());
    assertTablesEqual(spark, PrepareJob.dataDir(a) + "/clients", PrepareJob.dataDir(b) + "/clients", "record_id");
    assertTablesEqual(spark, PrepareJob.dataDir(a) + "/client_stats", PrepareJob.dataDir(b) + "/client_stats",
        "client_id");

    // Same run directory, same inputs: reused, nothing rewritten. Other settings: refused, not overwritten.
    assertTrue(PrepareJob.run(spark, a).reused());
    RunConfig changed = Configs.forTest(dir.resolve("a"), "partition.num_clients=50");
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, changed));
    assertTrue(e.getMessage().contains("prepared from other inputs or settings"), e.getMessage());
  }

  /** Same rows in the same columns (compared in key order; map columns rule out EXCEPT). */
  private static void assertTablesEqual(SparkSession spark, String left, String right, String key) {
    Dataset<Row> l = spark.read().parquet(left);
    Dataset<Row> r = spark.read().parquet(right);
    assertEquals(List.of(l.columns()), List.of(r.columns()));
    List<Row> lr = l.orderBy(col(key)).collectAsList();
    List<Row> rr = r.orderBy(col(key)).collectAsList();
    assertEquals(lr.size(), rr.size());
    for (int i = 0; i < lr.size(); i++) assertEquals(lr.get(i), rr.get(i), "row " + i + " of " + left);
  }
}
