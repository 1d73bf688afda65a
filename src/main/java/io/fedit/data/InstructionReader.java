package io.fedit.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.config.DataSection;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.fs.HadoopPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads instruction records with Spark from a file or a directory (local or any Hadoop filesystem) in
 * JSON Lines, JSON arrays or Parquet, and validates every record. The files are those {@link InputFiles} lists
 * (links not followed; names starting with '_' or '.' ignored, as Spark does). JSON files are parsed one file
 * per task (so that each record keeps its exact line number); Parquet is read by Spark and keeps its row
 * number within its file; Parquet files must agree on the columns read ({@link ParquetSchemas}).
 */
public final class InstructionReader {
  private InstructionReader() {}

  /** Every input element as a valid record or a bad one. */
  public static JavaRDD<ParseResult> read(SparkSession spark, DataSection data) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> json = new ArrayList<>();
    List<String> parquet = new ArrayList<>();
    try (InputFiles files = InputFiles.list(data.path(), conf)) {
      for (InputFiles.InputFile file : files.visible()) {
        String format = formatOf(file.uri(), data.format());
        if (format.equals("parquet")) parquet.add(file.uri());
        else json.add(file.uri());
      }
    }
    if (json.isEmpty() && parquet.isEmpty()) {
      throw new DataException(data.path() + ": no input files found (expected .jsonl, .json or .parquet)");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ParseResult> out = jsc.emptyRDD();
    RecordValidator validator = new RecordValidator(data.clientKeyColumn());
    if (!json.isEmpty()) {
      String mode = data.format();
      // One task per file, each opening its file by URI: no glob or comma splitting of names (Spark's
      // binaryFiles does both), and the local file system without .crc sidecars (InputFiles#readable).
      Broadcast<HadoopConfCopy> hadoop = jsc.broadcast(HadoopConfCopy.of(conf));
      out = out.union(jsc.parallelize(json, json.size())
          .flatMap(uri -> parseJsonFile(uri, hadoop.value().get(), mode, validator).iterator()));
    }
    if (!parquet.isEmpty()) out = out.union(readParquet(spark, parquet, validator, data.clientKeyColumn()));
    return out;
  }

  private static List<ParseResult> parseJsonFile(String uri, Configuration conf, String mode,
      RecordValidator validator) throws IOException {
    String file = HadoopPaths.display(uri);
    Path path = new Path(uri);
    JsonRecordParser parser = new JsonRecordParser(validator);
    List<ParseResult> results = new ArrayList<>();
    FileSystem fs = InputFiles.readable(path.getFileSystem(conf));
    try (InputStream raw = fs.open(path); BufferedInputStream in = new BufferedInputStream(raw, 1 << 16)) {
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
    List<String> read = new ArrayList<>(List.of(RecordValidator.INSTRUCTION, RecordValidator.CONTEXT,
        RecordValidator.RESPONSE, RecordValidator.CATEGORY));
    if (clientKeyColumn != null && !read.contains(clientKeyColumn)) read.add(clientKeyColumn);
    ParquetSchemas.requireSame(files, spark.sparkContext().hadoopConfiguration(), read);
    DataFrameReader reader = spark.read();
    if (files.stream().allMatch(f -> "file".equals(new Path(f).toUri().getScheme()))) {
      // Local Parquet files are read like local JSON files, without .crc sidecars (InputFiles#readable): Hadoop
      // cannot form a sidecar's path for a name with a colon. A read's options reach only that read's Hadoop
      // configuration; the uncached instance keeps the session's shared local file system as it is.
      reader = reader.option("fs.file.impl", RawLocalFileSystem.class.getName())
          .option("fs.file.impl.disable.cache", "true");
    }
    Dataset<Row> df = reader.parquet(files.toArray(String[]::new));
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
