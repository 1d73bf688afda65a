package io.fedit.experiment;

import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Owner of the experiment/results table ({@link RunLayout}): one Parquet file per seed ({@code seed-<S>.parquet}),
 * written atomically ({@link ParquetFiles}): a reader (or a rerun) sees a seed's rows completely or not at all.
 * NaN is stored as null. {@link #read} reads the table back, also for the report.
 */
public final class ExperimentResults {
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

  /** {@code run}: the run the experiment belongs to (the table is its experiment/results). */
  public ExperimentResults(Configuration conf, RunLayout run) {
    this.conf = conf;
    this.table = run.table(Table.EXPERIMENT_RESULTS);
  }

  public Path table() {
    return table;
  }

  /** Whether a seed's rows are complete in the table. */
  public boolean has(long seed) throws IOException {
    return table.getFileSystem(conf).exists(new Path(table, RunLayout.seedFileName(seed)));
  }

  /** Writes one seed's rows atomically (temporary file, then rename); refuses to replace existing rows. */
  public void write(long seed, List<ExperimentRow> rows) throws IOException {
    ParquetFiles.write(conf, table, RunLayout.seedFileName(seed), SCHEMA, false, (w, f) -> {
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
    return read(conf, table);
  }

  /**
   * Every row of an experiment/results table at {@code table} (every visible Parquet file in path order: one per
   * seed, as written here); empty when it holds none.
   */
  public static List<ExperimentRow> read(Configuration conf, Path table) throws IOException {
    List<ExperimentRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, table)) {
      for (Group g : ParquetFiles.read(conf, file)) {
        out.add(new ExperimentRow(g.getString("arm", 0), g.getLong("seed", 0), g.getString("member", 0),
            g.getString("split", 0), g.getString("category", 0), g.getLong("examples", 0), g.getLong("tokens", 0),
            ParquetFiles.optional(g, "response_loss"), ParquetFiles.optional(g, "all_loss"),
            ParquetFiles.optional(g, "rouge_l"), ParquetFiles.optional(g, "loss_ci_low"),
            ParquetFiles.optional(g, "loss_ci_high")));
      }
    }
    return out;
  }
}
