package io.fedit.checkpoint;

import io.fedit.eval.EvalTables;
import io.fedit.fs.Publish;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Step 2 of {@link CheckpointStore}'s commit protocol: copies a round's metrics files from its temp dir into
 * the run's metrics tables ({@code metrics/<table>/round-N.parquet}), each via a hidden temp file and a
 * rename. A metrics file of an uncommitted round may be left by a crash: deleted on the next open,
 * overwritten when the round is redone.
 */
final class MetricsTables {
  private final Configuration conf;
  private final FileSystem fs;
  private final RunLayout layout;

  MetricsTables(Configuration conf, FileSystem fs, RunLayout layout) {
    this.conf = conf;
    this.fs = fs;
    this.layout = layout;
  }

  /**
   * Publishes the metrics of round {@code round} written into {@code tmp}, in this order: client metrics,
   * round metrics, then (for an evaluated round) eval metrics and eval generations, then the privacy ledger
   * (when the round has one).
   */
  void publishRound(RoundCheckpoint cp, int round, Path tmp) throws IOException {
    publish(layout.clientMetricsTable, round, new Path(tmp, RunLayout.CLIENT_METRICS));
    publish(layout.roundMetricsTable, round, new Path(tmp, RunLayout.ROUND_METRICS));
    if (!cp.eval().isEmpty()) {
      publish(layout.evalMetricsTable, round, new Path(tmp, EvalTables.METRICS_FILE));
      publish(layout.evalGenerationsTable, round, new Path(tmp, EvalTables.GENERATIONS_FILE));
    }
    if (cp.privacyLedger() != null) publish(layout.privacyLedgerTable, round, new Path(tmp, RoundExtras.LEDGER));
  }

  /** Copies a metrics file into its table directory: hidden temp file, then replace (idempotent redo). */
  private void publish(Path table, int round, Path source) throws IOException {
    fs.mkdirs(table);
    Publish.file(fs, layout.metricsFile(table, round), layout.newTempMetricsFile(table, round), Publish.IfExists.REPLACE,
        tmp -> FileUtil.copy(fs, source, fs, tmp, false, conf));
  }
}
