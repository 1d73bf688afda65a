package io.fedit.data;

import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The Parquet files of one data path must agree on the columns that are read (instruction, context, response,
 * category, the client key): Spark reads them all with one file's schema, so a column missing from another file
 * would arrive as nulls (bad records) and a column of another type would fail the read with a Spark stack trace.
 * Compared from the files' footers on the driver (no Spark job, no data read); other columns may differ.
 */
final class ParquetSchemas {
  private ParquetSchemas() {}

  /** Throws a {@link DataException} naming the first file and the first that differs from it in {@code columns}. */
  static void requireSame(List<String> files, Configuration conf, List<String> columns) {
    if (files.size() < 2) return;
    MessageType first = schema(files.get(0), conf);
    for (String other : files.subList(1, files.size())) {
      MessageType schema = schema(other, conf);
      for (String column : columns) {
        String a = describe(first, column);
        String b = describe(schema, column);
        if (!a.equals(b)) {
          throw new DataException(HadoopPaths.display(files.get(0)) + " and " + HadoopPaths.display(other)
              + " have different schemas: column '" + column + "' is " + a + " in the first, " + b
              + " in the second (every Parquet file of data.path needs the same columns and types)");
        }
      }
    }
  }

  /** "string", "int64", "int32 (DATE)", "a group", "missing"; a repeated column says so. Nullability is ignored. */
  static String describe(MessageType schema, String column) {
    if (!schema.containsField(column)) return "missing";
    Type t = schema.getType(column);
    String kind;
    if (!t.isPrimitive()) {
      kind = "a group";
    } else {
      LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
      String primitive = t.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase(Locale.ROOT);
      if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) kind = "string";
      else kind = logical == null ? primitive : primitive + " (" + logical + ")";
    }
    return t.isRepetition(Type.Repetition.REPEATED) ? "repeated " + kind : kind;
  }

  private static MessageType schema(String uri, Configuration conf) {
    Path path = new Path(uri);
    try (ParquetFileReader reader = ParquetFileReader.open(new RawInputFile(path, conf))) {
      return reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new DataException(HadoopPaths.display(uri) + ": not a readable Parquet file ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** A Parquet input file opened through {@link InputFiles#readable} (no .crc sidecar for local files). */
  private record RawInputFile(Path path, Configuration conf) implements InputFile {
    private FileSystem fs() throws IOException {
      return InputFiles.readable(path.getFileSystem(conf));
    }

    @Override
    public long getLength() throws IOException {
      return fs().getFileStatus(path).getLen();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return HadoopStreams.wrap(fs().open(path));
    }
  }
}
