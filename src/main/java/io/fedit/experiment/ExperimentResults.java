package io.fedit.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Owner of the experiment/results table: one Parquet file per seed ({@code seed-<S>.parquet}) under
 * {@code <experiment dir>/results/}, same schema in every file, so the directory reads as one table. A file is
 * written under a hidden temporary name and renamed into place: a reader (or a rerun) sees a seed's rows
 * completely or not at all. NaN is stored as null.
 */
public final class ExperimentResults {
  public static final String TABLE = "results";

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message experiment_results {
        required binary arm (STRING);
        required int64 seed;
        required binary member (STRING);
        required binary split (STRING);
        required binary category (STRING);
        required int64 examples;
        required int64 tokens;
        optional double response_loss;
        optional double all_loss;
        optional double rouge_l;
        optional double loss_ci_low;
        optional double loss_ci_high;
      }""");

  private final Configuration conf;
  private final Path table;

  /** {@code experimentDir}: {@code <run dir>/experiment}. */
  public ExperimentResults(Configuration conf, String experimentDir) {
    this.conf = conf;
    this.table = new Path(experimentDir, TABLE);
  }

  public Path table() {
    return table;
  }

  private Path file(long seed) {
    return new Path(table, "seed-" + seed + ".parquet");
  }

  /** Whether a seed's rows are complete in the table. */
  public boolean has(long seed) throws IOException {
    return table.getFileSystem(conf).exists(file(seed));
  }

  /** Writes one seed's rows atomically (temporary file, then rename); refuses to replace existing rows. */
  public void write(long seed, List<ExperimentRow> rows) throws IOException {
    FileSystem fs = table.getFileSystem(conf);
    Path tmp = new Path(table, "_tmp-seed-" + seed + "-" + UUID.randomUUID());
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf)).withConf(conf)
        .withType(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (ExperimentRow r : rows) {
        Group g = f.newGroup().append("arm", r.arm()).append("seed", r.seed()).append("member", r.member())
            .append("split", r.split()).append("category", r.category()).append("examples", r.examples())
            .append("tokens", r.tokens());
        optional(g, "response_loss", r.responseLoss());
        optional(g, "all_loss", r.allLoss());
        optional(g, "rouge_l", r.rougeL());
        optional(g, "loss_ci_low", r.ciLow());
        optional(g, "loss_ci_high", r.ciHigh());
        w.write(g);
      }
    }
    if (fs.exists(file(seed)) || !fs.rename(tmp, file(seed))) {
      fs.delete(tmp, false);
      throw new IOException("cannot move the results of seed " + seed + " into place at " + file(seed)
          + " (written by another experiment meanwhile?)");
    }
  }

  /** Every row of the table (all seeds), in file-name order; empty when nothing is written. */
  public List<ExperimentRow> readAll() throws IOException {
    FileSystem fs = table.getFileSystem(conf);
    List<ExperimentRow> out = new ArrayList<>();
    if (!fs.exists(table)) return out;
    List<Path> files = new ArrayList<>();
    for (FileStatus s : fs.listStatus(table)) {
      String n = s.getPath().getName();
      if (s.isFile() && n.startsWith("seed-") && n.endsWith(".parquet")) files.add(s.getPath());
    }
    files.sort(null);
    for (Path p : files) {
      try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), p).withConf(conf).build()) {
        for (Group g = rd.read(); g != null; g = rd.read()) {
          out.add(new ExperimentRow(g.getString("arm", 0), g.getLong("seed", 0), g.getString("member", 0),
              g.getString("split", 0), g.getString("category", 0), g.getLong("examples", 0), g.getLong("tokens", 0),
              optional(g, "response_loss"), optional(g, "all_loss"), optional(g, "rouge_l"),
              optional(g, "loss_ci_low"), optional(g, "loss_ci_high")));
        }
      }
    }
    return out;
  }

  private static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) g.append(field, v);
  }

  private static double optional(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
  }
}
