package io.fedit.layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files of a table directory as Spark, Hive and DuckDB see them: every {@code *.parquet} file under it,
 * in any layout (one file per round or seed, Spark part files, partition folders), leaving out hidden names
 * ({@link RunLayout#isHidden}: files being written, checksum files, _SUCCESS markers). The typed table readers
 * read these, in path order, so that their rows never depend on the order a filesystem lists files in.
 */
public final class TableFiles {
  private static final String PARQUET = ".parquet";

  private TableFiles() {}

  /** The visible Parquet files under {@code table}, recursively, sorted by path; empty when it does not exist. */
  public static List<Path> of(Configuration conf, Path table) throws IOException {
    FileSystem fs = table.getFileSystem(conf);
    if (!fs.exists(table)) return List.of();
    List<Path> out = new ArrayList<>();
    collect(fs, table, out);
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }

  private static void collect(FileSystem fs, Path dir, List<Path> out) throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (RunLayout.isHidden(name)) continue;
      if (st.isDirectory()) collect(fs, st.getPath(), out);
      else if (name.endsWith(PARQUET)) out.add(st.getPath());
    }
  }
}
