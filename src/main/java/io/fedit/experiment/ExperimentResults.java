package io.fedit.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Owner of the experiment/results table: one Parquet file per seed ({@code seed-<S>.parquet}) under
 * {@code <experiment dir>/results/}, written atomically ({@link ParquetFiles}): a reader (or a rerun) sees a seed's rows
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

  static String fileName(long seed) {
    return "seed-" + seed + ".parquet";
  }

  /** Whether a seed's rows are complete in the table. */
  public boolean has(long seed) throws IOException {
    return table.getFileSystem(conf).exists(new Path(table, fileName(seed)));
  }

  /** Writes one seed's rows atomically (temporary file, then rename); refuses to replace existing rows. */
  public void write(long seed, List<ExperimentRow> rows) throws IOException {
    ParquetFiles.write(conf, table, fileName(seed), SCHEMA, false, (w, f) -> {
      for (ExperimentRow r : rows) {
        Group g = f.newGroup().append("arm", r.arm()).append("seed", r.seed()).append("member", r.member())
            .append("split", r.split()).append("category", r.category()).append("examples", r.examples())
            .append("tokens", r.tokens());
        ParquetFiles.optional(g, "response_loss", r.responseLoss());
        ParquetFiles.optional(g, "all_loss", r.allLoss());
        ParquetFiles.optional(g, "rouge_l", r.rougeL());
        ParquetFiles.optional(g, "loss_ci_low", r.ciLow());
        ParquetFiles.optional(g, "loss_ci_high", r.ciHigh());
        w.write(g);
      }
    });
  }

  /** Every row of the table (all seeds), in file-name order; empty when nothing is written. */
  public List<ExperimentRow> readAll() throws IOException {
    List<ExperimentRow> out = new ArrayList<>();
    for (Group g : ParquetFiles.readAll(conf, table, "seed-")) {
      out.add(new ExperimentRow(g.getString("arm", 0), g.getLong("seed", 0), g.getString("member", 0),
          g.getString("split", 0), g.getString("category", 0), g.getLong("examples", 0), g.getLong("tokens", 0),
          ParquetFiles.optional(g, "response_loss"), ParquetFiles.optional(g, "all_loss"),
          ParquetFiles.optional(g, "rouge_l"), ParquetFiles.optional(g, "loss_ci_low"),
          ParquetFiles.optional(g, "loss_ci_high")));
    }
    return out;
  }
}
