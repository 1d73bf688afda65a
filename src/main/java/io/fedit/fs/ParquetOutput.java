package io.fedit.fs;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * The one Parquet writer setup of the project's own tables (adapters, metrics, ledgers, evaluation, judge
 * scores, experiment results; Spark writes the prepared data itself): parquet-hadoop's example Group API, no
 * Spark job needed, and byte-reproducible output, the same rows giving the same bytes in any JVM.
 *
 * <p>Why the settings: parquet-mr lists each column chunk's encodings in the footer from a HashSet of enum
 * constants, whose order follows identity hash codes and so changes from one JVM to the next whenever a chunk
 * has two encodings or more (V1 pages record their level encodings too, dictionaries add a second value
 * encoding). V2 data pages record only the value encoding, and without dictionaries that is one encoding per
 * column: one order. (Dictionaries would pay little here: tensor values and names are nearly all distinct,
 * and the other tables are small.) SNAPPY is what Spark writes by default and every reader has.
 */
public final class ParquetOutput {
  /** Row group size of a concatenated file (parquet-mr's default block size). */
  private static final long CONCATENATED_ROW_GROUP_BYTES = 128L << 20;

  private ParquetOutput() {}

  /** A writer of {@code schema} rows creating {@code file} (which must not exist). */
  public static ParquetWriter<Group> writer(Configuration conf, Path file, MessageType schema) throws IOException {
    return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
        .withConf(conf)
        .withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
        .withDictionaryEncoding(false)
        .build();
  }

  /**
   * Writes the row groups of {@code parts} (files of {@code schema}, written by {@link #writer}), in the
   * order given, into one new {@code file}, copying them without decoding; the result is as reproducible as
   * the parts.
   */
  public static void concatenate(Configuration conf, Path file, MessageType schema, List<Path> parts)
      throws IOException {
    ParquetFileWriter w = new ParquetFileWriter(HadoopOutputFile.fromPath(file, conf), schema,
        ParquetFileWriter.Mode.CREATE, CONCATENATED_ROW_GROUP_BYTES, 0);
    w.start();
    for (Path part : parts) w.appendFile(HadoopInputFile.fromPath(part, conf));
    w.end(Map.of());
  }
}
