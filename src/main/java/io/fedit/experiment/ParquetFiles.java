package io.fedit.experiment;

import io.fedit.fs.ParquetOutput;
import io.fedit.fs.Publish;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;

/**
 * How the experiment's tables are stored: a directory of Parquet files with one schema, so the directory reads as
 * one table. A file is written under a hidden temporary name in the same directory and renamed into place, so a
 * reader (or a rerun) sees a file completely or not at all. NaN is stored as null in optional double columns.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Fills one Parquet file with groups of the schema. */
  interface Rows {
    void write(ParquetWriter<Group> w, SimpleGroupFactory f) throws IOException;
  }

  /**
   * Writes {@code dir/name} atomically ({@link Publish}). {@code replace}: an existing file is replaced (derived
   * tables only; the old file is removed just before the rename); otherwise an existing file is an error.
   */
  static void write(Configuration conf, Path dir, String name, MessageType schema, boolean replace, Rows rows)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path file = new Path(dir, name);
    try {
      Publish.file(fs, file, replace ? Publish.IfExists.REPLACE : Publish.IfExists.REFUSE, tmp -> {
        try (ParquetWriter<Group> w = ParquetOutput.writer(conf, tmp, schema)) {
          rows.write(w, new SimpleGroupFactory(schema));
        }
      });
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot move " + file + " into place (written by another experiment meanwhile?)", e);
    }
  }

  static List<Group> read(Configuration conf, Path file) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) out.add(g);
    }
    return out;
  }

  static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) g.append(field, v);
  }

  static double optional(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
  }
}
