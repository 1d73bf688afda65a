package io.fedit.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.config.DataSection;
import io.fedit.fs.HadoopPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads instruction records with Spark from a file or a directory (local or any Hadoop filesystem) in
 * JSON Lines, JSON arrays or Parquet, and validates every record. JSON files are parsed one file per
 * task (so that each record keeps its exact line number); Parquet is read by Spark and keeps its row
 * number within its file. Files whose names start with '_' or '.' are ignored, as Spark does.
 */
public final class InstructionReader {
  private InstructionReader() {}

  /** Every input element as a valid record or a bad one. */
  public static JavaRDD<ParseResult> read(SparkSession spark, DataSection data) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> json = new ArrayList<>();
    List<String> parquet = new ArrayList<>();
    for (String file : listFiles(data.path(), conf)) {
      String format = formatOf(file, data.format());
      if (format.equals("parquet")) parquet.add(file);
      else json.add(file);
    }
    if (json.isEmpty() && parquet.isEmpty()) {
      throw new DataException(data.path() + ": no input files found (expected .jsonl, .json or .parquet)");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ParseResult> out = jsc.emptyRDD();
    RecordValidator validator = new RecordValidator(data.clientKeyColumn());
    if (!json.isEmpty()) {
      String mode = data.format();
      out = out.union(jsc.binaryFiles(String.join(",", json), json.size())
          .flatMap(f -> parseJsonFile(f._1(), f._2(), mode, validator).iterator()));
    }
    if (!parquet.isEmpty()) out = out.union(readParquet(spark, parquet, validator, data.clientKeyColumn()));
    return out;
  }

  private static List<ParseResult> parseJsonFile(String uri, PortableDataStream stream, String mode,
      RecordValidator validator) throws IOException {
    String file = HadoopPaths.display(uri);
    JsonRecordParser parser = new JsonRecordParser(validator);
    List<ParseResult> results = new ArrayList<>();
    try (InputStream raw = stream.open(); BufferedInputStream in = new BufferedInputStream(raw, 1 << 16)) {
      boolean array = switch (mode) {
        case "json" -> true;
        case "jsonl" -> false;
        default -> startsWithBracket(in);
      };
      if (array) parser.parseArray(file, in, results::add);
      else parser.parseLines(file, in, results::add);
    }
    return results;
  }

  /** Peeks at the first non-whitespace byte after a byte-order mark: '[' means a JSON array. */
  private static boolean startsWithBracket(BufferedInputStream in) throws IOException {
    in.mark(1 << 16);
    try {
      int b = in.read();
      if (b == 0xEF) {
        if (in.read() != 0xBB || in.read() != 0xBF) return false; // not a byte-order mark: not a '[' either
        b = in.read();
      }
      for (int seen = 0; b != -1 && seen < (1 << 15); seen++, b = in.read()) {
        if (!Character.isWhitespace(b)) return b == '[';
      }
      return false;
    } finally {
      in.reset();
    }
  }

  private static JavaRDD<ParseResult> readParquet(SparkSession spark, List<String> files,
      RecordValidator validator, String clientKeyColumn) {
    Dataset<Row> df = spark.read().parquet(files.toArray(String[]::new));
    StructType schema = df.schema();
    String where = files.size() == 1 ? HadoopPaths.display(files.get(0)) : HadoopPaths.display(files.get(0)) + " (and "
        + (files.size() - 1) + " more Parquet files)";
    List<String> columns = new ArrayList<>();
    for (String name : new String[] {RecordValidator.INSTRUCTION, RecordValidator.CONTEXT,
        RecordValidator.RESPONSE, RecordValidator.CATEGORY, clientKeyColumn}) {
      if (name == null || columns.contains(name)) continue;
      if (!List.of(schema.fieldNames()).contains(name)) {
        boolean required = !name.equals(RecordValidator.CONTEXT) && !name.equals(RecordValidator.CATEGORY);
        if (required) throw new DataException(where + ": column '" + name + "' is missing (expected a string column)");
        continue;
      }
      DataType type = schema.apply(name).dataType();
      boolean keyInt = name.equals(clientKeyColumn) && (type == DataTypes.IntegerType || type == DataTypes.LongType);
      if (type != DataTypes.StringType && !keyInt) {
        throw new DataException(where + ": column '" + name + "' must be a string column, got " + type.simpleString());
      }
      columns.add(name);
    }
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    select.add(org.apache.spark.sql.functions.col("_metadata.file_path").as("_file"));
    select.add(org.apache.spark.sql.functions.col("_metadata.row_index").as("_row"));
    for (String c : columns) select.add(org.apache.spark.sql.functions.col("`" + c + "`").cast("string").as(c));
    List<String> names = List.copyOf(columns);
    return df.select(select.toArray(org.apache.spark.sql.Column[]::new)).toJavaRDD().map(row -> {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < names.size(); i++) {
        if (!row.isNullAt(i + 2)) node.put(names.get(i), row.getString(i + 2));
      }
      // Parquet row numbers are reported 1-based, like lines.
      return validator.validate(HadoopPaths.display(row.getString(0)), row.getLong(1) + 1, node);
    });
  }

  /** The input files under {@code path} (itself when it is a file), sorted by path. */
  static List<String> listFiles(String path, Configuration conf) {
    FileSystem fs = HadoopPaths.fs(path, conf);
    Path p = new Path(path);
    List<String> files = new ArrayList<>();
    try {
      if (!fs.exists(p)) throw new DataException(path + ": no such file or directory (data.path)");
      FileStatus status = fs.getFileStatus(p);
      if (status.isFile()) {
        files.add(status.getPath().toString());
      } else {
        RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
          Path f = it.next().getPath();
          if (hidden(f, p)) continue;
          files.add(f.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
    }
    files.sort(null);
    return files;
  }

  private static boolean hidden(Path file, Path root) {
    for (Path q = file; q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
      String n = q.getName();
      if (n.startsWith("_") || n.startsWith(".")) return true;
    }
    return false;
  }

  /** The format of one file: the configured one, or by extension under {@code auto}. */
  static String formatOf(String file, String configured) {
    if (!configured.equals("auto")) return configured;
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) return "parquet";
    if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) return "auto-json";
    throw new DataException(HadoopPaths.display(file)
        + ": cannot tell the format from the file name (expected .jsonl, .json or .parquet); set data.format");
  }
}
