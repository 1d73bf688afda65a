package io.fedit.checkpoint;

import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Where everything of a run lives, in one place:
 * <pre>
 * runDir/rounds/round-00001/            a committed round (visible only with _SUCCESS inside)
 *   adapter.parquet                     global adapter after the round: name, shape, values
 *   peft/adapter_model.safetensors      the same adapter for PEFT.from_pretrained
 *   peft/adapter_config.json
 *   client_metrics.parquet              one row per client of the round
 *   round_metrics.parquet               one row
 *   client_updates.parquet              optional: client_id, attempt, name, shape, values
 *   strategy_state/NAME.parquet         optional: the strategy's persisted state
 *   eval_metrics.parquet                optional: held-out evaluation of the global adapter (EvalTables)
 *   eval_generations.parquet            optional: its greedy answers
 *   client_state/CLIENT.parquet         optional: per-client strategy state (SCAFFOLD's c_i) of this round's clients
 *   privacy_ledger.parquet              optional: the round's DP ledger row
 *   manifest.json                       checksums of all the above
 *   _SUCCESS                            sha256 of manifest.json; written last
 * runDir/rounds/_tmp-round-00001-UUID/  a commit in progress (invisible, removed on open)
 * runDir/rounds/_tmp-updates-round-00001-UUID/  a round's client updates staged by the executors
 *                                     (StagedClientFiles; removed when the round ends, or on open after a crash)
 * runDir/metrics/client_metrics/round-00001.parquet   copies of the per-round metrics, so that one
 * runDir/metrics/round_metrics/round-00001.parquet    directory path reads a whole table
 * runDir/privacy/ledger/round-00001.parquet           copies of the ledger rows, the same way
 * </pre>
 * Names starting with '_' or '.' are hidden from Spark and Hive readers, so temporary files are.
 */
final class RunLayout {
  static final String ADAPTER = "adapter.parquet";
  static final String PEFT_DIR = "peft";
  static final String CLIENT_METRICS = "client_metrics.parquet";
  static final String ROUND_METRICS = "round_metrics.parquet";
  static final String CLIENT_UPDATES = "client_updates.parquet";
  static final String STRATEGY_DIR = "strategy_state";
  static final String MANIFEST = "manifest.json";
  static final String SUCCESS = "_SUCCESS";
  static final String TMP_PREFIX = "_tmp-";

  private static final Pattern ROUND_DIR = Pattern.compile("round-(\\d{5,})");
  private static final Pattern METRICS_FILE = Pattern.compile("round-(\\d{5,})\\.parquet");

  final Path runDir;
  final Path roundsDir;
  final Path clientMetricsTable;
  final Path roundMetricsTable;
  final Path evalMetricsTable;
  final Path evalGenerationsTable;
  final Path privacyLedgerTable;

  RunLayout(Path runDir) {
    this.runDir = runDir;
    this.roundsDir = new Path(runDir, "rounds");
    this.clientMetricsTable = new Path(runDir, CheckpointStore.CLIENT_METRICS_TABLE);
    this.roundMetricsTable = new Path(runDir, CheckpointStore.ROUND_METRICS_TABLE);
    this.evalMetricsTable = new Path(runDir, io.fedit.eval.EvalTables.METRICS_TABLE);
    this.evalGenerationsTable = new Path(runDir, io.fedit.eval.EvalTables.GENERATIONS_TABLE);
    this.privacyLedgerTable = new Path(runDir, "privacy/ledger");
  }

  static String roundName(int round) {
    return String.format("round-%05d", round);
  }

  Path roundDir(int round) {
    return new Path(roundsDir, roundName(round));
  }

  Path newTempRoundDir(int round) {
    return new Path(roundsDir, TMP_PREFIX + roundName(round) + "-" + UUID.randomUUID());
  }

  Path metricsFile(Path table, int round) {
    return new Path(table, roundName(round) + ".parquet");
  }

  Path newTempMetricsFile(Path table, int round) {
    return new Path(table, TMP_PREFIX + roundName(round) + "-" + UUID.randomUUID() + ".parquet");
  }

  /** Round number of a "round-00001" directory name, empty for anything else. */
  static OptionalInt parseRoundDir(String name) {
    return parse(ROUND_DIR.matcher(name));
  }

  /** Round number of a "round-00001.parquet" metrics file name, empty for anything else. */
  static OptionalInt parseMetricsFile(String name) {
    return parse(METRICS_FILE.matcher(name));
  }

  private static OptionalInt parse(Matcher m) {
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
