package io.fedit.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer setup: what makes its files byte-reproducible, and concatenation without decoding. */
class ParquetOutputTest {
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message t {
        required int32 round;
        required binary split (STRING);
        optional double loss;
        required int64 tokens;
      }""");

  @TempDir java.nio.file.Path dir;
  private final Configuration conf = new Configuration();

  private Path write(String name, int round, int rows) throws IOException {
    Path file = new Path(dir.resolve(name).toUri());
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, SCHEMA)) {
      for (int i = 0; i < rows; i++) {
        // Repeated values and nulls: what would make a default writer use dictionaries and level encodings.
        Group g = f.newGroup().append("round", round).append("split", i % 2 == 0 ? "dolly_test" : "heldout");
        if (i % 3 != 0) g.append("loss", 2.5);
        w.write(g.append("tokens", 100L));
      }
    }
    return file;
  }

  /**
   * parquet-mr writes a chunk's encodings into the footer in HashSet order, which differs between JVMs when there
   * are several: every chunk must have exactly one (and so one order), compressed as Spark writes by default.
   */
  @Test
  void everyColumnChunkHasOneEncodingSoTheFooterHasOneOrder() throws IOException {
    Path file = write("t.parquet", 3, 50);
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      for (BlockMetaData block : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : block.getColumns()) {
          assertEquals(1, c.getEncodings().size(), c.getPath() + ": " + c.getEncodings());
          assertEquals(CompressionCodecName.SNAPPY, c.getCodec(), c.getPath().toString());
        }
      }
    }
  }

  @Test
  void concatenationKeepsThePartsRowsInOrder() throws IOException {
    Path a = write("a.parquet", 1, 3), b = write("b.parquet", 2, 2);
    Path both = new Path(dir.resolve("both.parquet").toUri());
    ParquetOutput.concatenate(conf, both, SCHEMA, List.of(b, a));
    List<Integer> rounds = new ArrayList<>();
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), both).withConf(conf).build()) {
      for (Group g = r.read(); g != null; g = r.read()) rounds.add(g.getInteger("round", 0));
    }
    assertEquals(List.of(2, 2, 1, 1, 1), rounds);
  }
}
