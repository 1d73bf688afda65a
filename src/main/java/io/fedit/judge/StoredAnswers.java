package io.fedit.judge;

import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads one round's answers from {@code <run>/metrics/eval_generations} (written by the evaluation,
 * schema in the README) with the plain Parquet reader, so the judge needs no Spark: every visible
 * {@code *.parquet} file under the table (any layout: one file per evaluation, Spark part files,
 * partition folders) is read by column name, integers of either width. Rows come sorted by split,
 * adapter and record id.
 */
public final class StoredAnswers {
  private StoredAnswers() {}

  public static String table(String runDir) {
    return new Path(runDir, io.fedit.eval.EvalTables.GENERATIONS_TABLE).toString();
  }

  public static List<StoredAnswer> ofRound(Configuration conf, String runDir, int round) throws IOException {
    Path table = new Path(table(runDir));
    FileSystem fs = HadoopPaths.fs(table.toString(), conf);
    if (!fs.exists(table)) {
      throw new IllegalArgumentException("no stored answers: " + HadoopPaths.display(table.toString())
          + " does not exist (run the evaluation with generation first)");
    }
    List<StoredAnswer> out = new ArrayList<>();
    for (Path file : dataFiles(fs, table)) {
      try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
        for (Group g = rd.read(); g != null; g = rd.read()) {
          if (integer(g, "round", file) != round) continue;
          out.add(new StoredAnswer(round, string(g, "adapter"), string(g, "split"), integer(g, "record_id", file),
              string(g, "category"), string(g, "prompt"), string(g, "answer"), string(g, "reference")));
        }
      }
    }
    out.sort(Comparator.comparing(StoredAnswer::split).thenComparing(StoredAnswer::adapter)
        .thenComparingLong(StoredAnswer::recordId));
    return out;
  }

  /** Visible Parquet files under {@code dir}, recursively; names starting with '_' or '.' are hidden. */
  static List<Path> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) continue;
      if (st.isDirectory()) out.addAll(dataFiles(fs, st.getPath()));
      else if (name.endsWith(".parquet")) out.add(st.getPath());
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }

  private static long integer(Group g, String field, Path file) {
    GroupType t = g.getType();
    if (!t.containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      throw new IllegalArgumentException(file + ": column '" + field + "' is missing or null (expected an integer)");
    }
    PrimitiveTypeName p = t.getType(field).asPrimitiveType().getPrimitiveTypeName();
    return p == PrimitiveTypeName.INT64 ? g.getLong(field, 0) : g.getInteger(field, 0);
  }

  private static String string(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) return null;
    return g.getString(field, 0);
  }
}
