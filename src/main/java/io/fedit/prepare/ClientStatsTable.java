package io.fedit.prepare;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Owner of the per-client statistics table, {@code data/client_stats} ({@link RunLayout}): one row per client of
 * the prepared data with the columns client_id, records, category_counts (category → records), tokens,
 * mean_tokens, max_tokens, over_cutoff_share. {@code prepare} computes and writes it with Spark
 * ({@link #write}); the report reads it back with the plain Parquet reader ({@link #read}).
 */
public final class ClientStatsTable {
  private ClientStatsTable() {}

  /** Computes the table from the client table's rows and writes it, as one file, under {@code dataDir}. */
  static void write(Dataset<Row> clientRows, int cutoffLen, String dataDir) {
    of(clientRows, cutoffLen).coalesce(1).write().parquet(RunLayout.clientStatsTable(new Path(dataDir)).toString());
  }

  /** One row per client: sizes, category mix and token statistics. */
  static Dataset<Row> of(Dataset<Row> table, int cutoffLen) {
    Dataset<Row> perCategory = table.groupBy("client_id", "category").agg(count(lit(1)).as("n"))
        .groupBy("client_id")
        .agg(map_from_entries(org.apache.spark.sql.functions.array_sort(collect_list(struct(col("category"), col("n")))))
            .as("category_counts"));
    Dataset<Row> tokens = table.groupBy("client_id").agg(
        count(lit(1)).as("records"),
        sum("num_tokens").as("tokens"),
        avg("num_tokens").as("mean_tokens"),
        max("num_tokens").as("max_tokens"),
        avg(when(col("num_tokens").gt(cutoffLen), 1).otherwise(0)).as("over_cutoff_share"));
    return tokens.join(perCategory, "client_id")
        .select("client_id", "records", "category_counts", "tokens", "mean_tokens", "max_tokens", "over_cutoff_share")
        .orderBy("client_id");
  }

  /** Every row of the run's client_stats (files in path order); empty when the data is not prepared. */
  public static List<ClientStatsRow> read(Configuration conf, RunLayout run) throws IOException {
    List<ClientStatsRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, run.table(Table.CLIENT_STATS))) {
      try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
        for (Group g = rd.read(); g != null; g = rd.read()) {
          out.add(new ClientStatsRow(g.getString("client_id", 0), integer(g, "records"), categoryCounts(g),
              integer(g, "tokens"), g.getDouble("mean_tokens", 0), integer(g, "max_tokens"),
              g.getDouble("over_cutoff_share", 0)));
        }
      }
    }
    return out;
  }

  /** Spark writes a map as a group holding one repeated key/value group; an absent map reads as empty. */
  private static Map<String, Long> categoryCounts(Group g) {
    Map<String, Long> out = new TreeMap<>();
    if (g.getFieldRepetitionCount("category_counts") == 0) return out;
    Group map = g.getGroup("category_counts", 0);
    for (int i = 0; i < map.getFieldRepetitionCount(0); i++) {
      Group kv = map.getGroup(0, i);
      if (kv.getFieldRepetitionCount(1) > 0) out.put(kv.getString(0, 0), integer(kv, 1));
    }
    return out;
  }

  private static long integer(Group g, String field) {
    return integer(g, g.getType().getFieldIndex(field));
  }

  private static long integer(Group g, int field) {
    return g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
        ? g.getLong(field, 0) : g.getInteger(field, 0);
  }
}
