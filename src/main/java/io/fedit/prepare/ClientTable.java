package io.fedit.prepare;

import io.fedit.data.InstructionRecord;
import io.fedit.layout.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import static org.apache.spark.sql.functions.col;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The client table, and the one place that knows its format: {@code <data dir>/clients/client_id=<id>/*.parquet}
 * with the columns of {@link #SCHEMA} (partitioned by client_id, so the files hold the other columns), one
 * row per record. {@code prepare} writes it ({@link #write}); a round lists it ({@link #directories}) and each
 * training task reads its own client's rows directly ({@link #read}): the text is read where it is used and
 * moves nowhere else (no shuffle, never to the driver). {@link #preferredHosts} lets the scheduler run a
 * client's task where its blocks are.
 */
public final class ClientTable {
  static final String PARTITION_COLUMN = "client_id";
  private static final String PREFIX = PARTITION_COLUMN + "=";
  /** Hosts named per client task: the few holding most of its bytes (HDFS places 3 replicas). */
  static final int MAX_PREFERRED_HOSTS = 3;

  static final StructType SCHEMA = new StructType()
      .add("record_id", DataTypes.LongType, false)
      .add(PARTITION_COLUMN, DataTypes.StringType, false)
      .add("source_file", DataTypes.StringType, false)
      .add("source_line", DataTypes.LongType, false)
      .add("instruction", DataTypes.StringType, false)
      .add("context", DataTypes.StringType, false)
      .add("response", DataTypes.StringType, false)
      .add("category", DataTypes.StringType, false)
      .add("num_tokens", DataTypes.IntegerType, false);

  private ClientTable() {}

  /** The table of a prepared-data directory ({@link RunLayout#clientTable}). */
  public static String path(String dataDir) {
    return RunLayout.clientTable(new Path(dataDir)).toString();
  }

  /** Writes rows of {@link #SCHEMA} as the table under {@code dataDir}: one folder per client, rows in id order. */
  static void write(Dataset<Row> rows, String dataDir) {
    rows.repartition(col(PARTITION_COLUMN)).sortWithinPartitions(PARTITION_COLUMN, "record_id")
        .write().partitionBy(PARTITION_COLUMN).parquet(path(dataDir));
  }

  /** Client id → its directory, for every client of the prepared data (ids unescaped as Spark escapes them). */
  public static Map<String, String> directories(String dataDir, Configuration conf) {
    String clientsTable = path(dataDir);
    Path table = new Path(clientsTable);
    try {
      FileSystem fs = table.getFileSystem(conf);
      Map<String, String> out = new LinkedHashMap<>();
      for (FileStatus s : fs.listStatus(table)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.startsWith(PREFIX)) {
          out.put(ExternalCatalogUtils.unescapePathName(name.substring(PREFIX.length())), s.getPath().toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the client table " + clientsTable + ": " + e.getMessage(), e);
    }
  }

  /** The records of one client directory, in record-id order (so training never depends on file order). */
  public static List<InstructionRecord> read(String clientDir, Configuration conf) {
    Path dir = new Path(clientDir);
    List<long[]> order = new ArrayList<>(); // (record_id, index)
    List<InstructionRecord> records = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        if (!f.isFile() || name.startsWith("_") || name.startsWith(".") || !name.endsWith(".parquet")) continue;
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(conf).build()) {
          for (Group g = r.read(); g != null; g = r.read()) {
            order.add(new long[] {g.getLong("record_id", 0), records.size()});
            records.add(new InstructionRecord(g.getString("source_file", 0), g.getLong("source_line", 0),
                g.getString("instruction", 0), g.getString("context", 0), g.getString("response", 0),
                g.getString("category", 0), null));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read client rows in " + clientDir + ": " + e.getMessage(), e);
    }
    order.sort(Comparator.comparingLong(o -> o[0]));
    List<InstructionRecord> sorted = new ArrayList<>(records.size());
    for (long[] o : order) sorted.add(records.get((int) o[1]));
    return sorted;
  }

  /**
   * The hosts that hold most of a client's bytes (from the filesystem's block locations), most first. Local
   * files report "localhost"; where no executor runs on a preferred host, Spark does not wait for one.
   */
  public static List<String> preferredHosts(String clientDir, Configuration conf) {
    Path dir = new Path(clientDir);
    Map<String, Long> bytesOnHost = new HashMap<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (FileStatus f : fs.listStatus(dir)) {
        if (!f.isFile()) continue;
        for (BlockLocation b : fs.getFileBlockLocations(f, 0, f.getLen())) {
          for (String host : b.getHosts()) bytesOnHost.merge(host, b.getLength(), Long::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot locate the blocks of " + clientDir + ": " + e.getMessage(), e);
    }
    return bytesOnHost.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(MAX_PREFERRED_HOSTS).map(Map.Entry::getKey).toList();
  }
}
