package io.fedit.checkpoint;

import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up repair by the run's writer: removes everything a commit that crashed can leave behind (see
 * the protocol in {@link CheckpointStore}): temp round dirs, round dirs without _SUCCESS, and metrics
 * files (or their temp files) of rounds that are not committed (the eval tables' round-00000, the base
 * model's evaluation, is kept). Committed rounds are never touched.
 */
final class CrashCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(CrashCleanup.class);

  private CrashCleanup() {}

  /**
   * Committed rounds must be 1..N without a gap. A missing _SUCCESS below the newest committed round is
   * not a crash leftover (commits go in order) but damage: refuse, naming the round, and change nothing.
   */
  static void refuseGaps(RunLayout layout, List<Integer> committed) throws CheckpointCorruptException {
    for (int i = 0; i < committed.size(); i++) {
      int expected = i + 1;
      if (committed.get(i) != expected) {
        int after = committed.get(i);
        throw new CheckpointCorruptException("round " + expected + " of " + layout.runDir() + " is not committed ("
            + "no " + new Path(layout.roundDir(expected), RunLayout.SUCCESS_FILE) + ") but round " + after + " is: "
            + "committed rounds must run 1.." + committed.get(committed.size() - 1) + " without a gap; restore round "
            + expected + " from a backup or start a new run.name (nothing was changed)");
      }
    }
  }

  static void run(FileSystem fs, RunLayout layout, List<Integer> committed) throws IOException {
    refuseGaps(layout, committed);
    for (FileStatus st : fs.listStatus(layout.roundsDir())) {
      String name = st.getPath().getName();
      boolean tmp = name.startsWith(RunLayout.TMP_PREFIX);
      boolean uncommitted = RunLayout.parseRoundDir(name).isPresent()
          && !fs.exists(new Path(st.getPath(), RunLayout.SUCCESS_FILE));
      if (tmp || uncommitted) {
        LOG.warn("removing {}: left behind by a commit that did not finish", st.getPath());
        fs.delete(st.getPath(), true);
      }
    }
    for (Table t : List.of(Table.CLIENT_METRICS, Table.ROUND_METRICS, Table.EVAL_METRICS, Table.EVAL_GENERATIONS,
        Table.PRIVACY_LEDGER)) {
      Path table = layout.table(t);
      if (!fs.exists(table)) continue;
      // round-00000 of the eval tables is the base model's evaluation, published whole by a rename.
      boolean evalTable = t == Table.EVAL_METRICS || t == Table.EVAL_GENERATIONS;
      for (FileStatus st : fs.listStatus(table)) {
        String name = st.getPath().getName();
        OptionalInt r = RunLayout.parseRoundFile(name);
        boolean kept = r.isPresent() && (committed.contains(r.getAsInt()) || (evalTable && r.getAsInt() == 0));
        if (name.startsWith(RunLayout.TMP_PREFIX) || (r.isPresent() && !kept)) {
          LOG.warn("removing {}: metrics of a round that was never committed", st.getPath());
          fs.delete(st.getPath(), false);
        }
      }
    }
  }
}
