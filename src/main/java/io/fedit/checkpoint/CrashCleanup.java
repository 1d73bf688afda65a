package io.fedit.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Start-up repair by the run's writer: removes everything a commit that crashed can leave behind (see
 * the protocol in {@link CheckpointStore}): temp round dirs, round dirs without _SUCCESS, and metrics
 * files (or their temp files) of rounds that are not committed (the eval tables' round-00000, the base
 * model's evaluation, is kept). Committed rounds are never touched.
 */
final class CrashCleanup {
  private CrashCleanup() {}

  static void run(FileSystem fs, RunLayout layout, List<Integer> committed) throws IOException {
    for (FileStatus st : fs.listStatus(layout.roundsDir)) {
      String name = st.getPath().getName();
      boolean tmp = name.startsWith(RunLayout.TMP_PREFIX);
      boolean uncommitted = RunLayout.parseRoundDir(name).isPresent()
          && !fs.exists(new Path(st.getPath(), RunLayout.SUCCESS));
      if (tmp || uncommitted) fs.delete(st.getPath(), true);
    }
    for (Path table : List.of(layout.clientMetricsTable, layout.roundMetricsTable, layout.evalMetricsTable,
        layout.evalGenerationsTable, layout.privacyLedgerTable)) {
      if (!fs.exists(table)) continue;
      // round-00000 of the eval tables is the base model's evaluation, published whole by a rename.
      boolean evalTable = table.equals(layout.evalMetricsTable) || table.equals(layout.evalGenerationsTable);
      for (FileStatus st : fs.listStatus(table)) {
        String name = st.getPath().getName();
        OptionalInt r = RunLayout.parseMetricsFile(name);
        boolean kept = r.isPresent() && (committed.contains(r.getAsInt()) || (evalTable && r.getAsInt() == 0));
        if (name.startsWith(RunLayout.TMP_PREFIX) || (r.isPresent() && !kept)) {
          fs.delete(st.getPath(), false);
        }
      }
    }
  }
}
