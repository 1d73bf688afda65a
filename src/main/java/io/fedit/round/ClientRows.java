package io.fedit.round;

import io.fedit.data.InstructionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;

/**
 * A client's own rows of the prepared client table ({@code clients/client_id=<id>/}), read directly by the
 * task that trains the client: the text is read where it is used and moves nowhere else (no shuffle, never
 * to the driver). The driver only maps client ids to their directories.
 */
public final class ClientRows {
  private static final String PREFIX = "client_id=";

  private ClientRows() {}

  /** Client id → its directory, for every client in the table (ids unescaped as Spark escapes them in paths). */
  public static Map<String, String> directories(String clientsTable, Configuration conf) {
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
}
