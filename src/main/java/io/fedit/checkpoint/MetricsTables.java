package io.fedit.checkpoint;

import io.fedit.eval.EvalTables;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Step 2 of {@link CheckpointStore}'s commit protocol: puts a round's metrics into the run's tables
 * ({@code metrics/<table>/round-N.parquet}, {@link RunLayout}), each via a hidden temp file and a rename. The
 * training metrics and the ledger are copies of the round's files; the evaluation rows go through the eval
 * tables' one writer ({@link EvalTables#publish}), which writes the same bytes as the round's files. A metrics
 * file of an uncommitted round may be left by a crash: deleted on the next open, overwritten when the round is
 * redone.
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
   * round metrics, then (for an evaluated round) eval generations and eval metrics, then the privacy ledger
   * (when the round has one).
   */
  void publishRound(RoundCheckpoint cp, int round, Path tmp) throws IOException {
    publish(Table.CLIENT_METRICS, round, new Path(tmp, RunLayout.CLIENT_METRICS_FILE));
    publish(Table.ROUND_METRICS, round, new Path(tmp, RunLayout.ROUND_METRICS_FILE));
    if (!cp.eval().isEmpty()) EvalTables.publish(conf, layout, RunLayout.roundFileName(round), cp.eval());
    if (cp.privacyLedger() != null) publish(Table.PRIVACY_LEDGER, round, new Path(tmp, RunLayout.PRIVACY_LEDGER_FILE));
  }

  /** Copies a metrics file into its table directory: hidden temp file, then replace (idempotent redo). */
  private void publish(Table table, int round, Path source) throws IOException {
    fs.mkdirs(layout.table(table));
    Publish.file(fs, layout.roundFile(table, round), layout.newTempRoundFile(table, round), Publish.IfExists.REPLACE,
        tmp -> FileUtil.copy(fs, source, fs, tmp, false, conf));
  }
}
