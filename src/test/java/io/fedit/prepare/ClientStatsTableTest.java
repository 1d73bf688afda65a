package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.layout.RunLayout;
import io.fedit.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data/client_stats as prepare writes it with Spark, read back by the plain-Parquet typed reader the report uses. */
class ClientStatsTableTest {
  @TempDir Path dir;

  @Test
  void sparkWrittenStatisticsReadBackAsTypedRows() throws Exception {
    SparkSession spark = LocalSpark.get();
    StructType schema = new StructType().add("client_id", DataTypes.StringType, false)
        .add("category", DataTypes.StringType, false).add("num_tokens", DataTypes.IntegerType, false);
    List<Row> rows = List.of(RowFactory.create("c1", "open_qa", 100), RowFactory.create("c1", "open_qa", 300),
        RowFactory.create("c1", "brainstorming", 50), RowFactory.create("c2", "open_qa", 700));
    String runDir = dir.resolve("run").toString();
    ClientStatsTable.write(spark.createDataFrame(rows, schema), 256, RunLayout.of(runDir).dataDir().toString());

    List<ClientStatsRow> read = ClientStatsTable.read(new Configuration(), RunLayout.of(runDir));
    assertEquals(List.of(
        new ClientStatsRow("c1", 3, Map.of("brainstorming", 1L, "open_qa", 2L), 450, 150.0, 300, 1 / 3.0),
        new ClientStatsRow("c2", 1, Map.of("open_qa", 1L), 700, 700.0, 700, 1.0)), read);
    assertEquals("brainstorming", read.get(0).categoryCounts().keySet().iterator().next(), "categories sorted");
    // The same numbers as Spark SQL reads them.
    List<Row> sql = spark.read().parquet(runDir + "/data/client_stats").orderBy("client_id").collectAsList();
    for (int i = 0; i < sql.size(); i++) {
      assertEquals(sql.get(i).getString(0), read.get(i).clientId());
      assertEquals(sql.get(i).getLong(1), read.get(i).records());
      assertEquals(sql.get(i).getDouble(sql.get(i).fieldIndex("over_cutoff_share")), read.get(i).overCutoffShare());
    }
    assertEquals(List.of(), ClientStatsTable.read(new Configuration(), RunLayout.of(dir.resolve("none").toString())));
  }
}
