package io.fedit.layout;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The map of a run directory: every folder, file and table of a run, and how rounds are named. No other class
 * spells these names; each table's owner (its schema, writer and reader) asks here where the table is.
 * <pre>
 * runDir/data/                          prepared data (prepare; renamed into place whole)
 *   clients/client_id=ID/*.parquet      the client table (prepare.ClientTable)
 *   client_stats/*.parquet              one row per client (prepare.ClientStatsTable)
 *   heldout/, validation/               records held out of training (prepare.HoldoutSplit)
 *   summary.json, config.yaml, fingerprint.json
 * runDir/rounds/round-00001/            a committed round (visible only with _SUCCESS inside)
 *   adapter.parquet                     global adapter after the round: name, shape, values
 *   peft/adapter_model.safetensors      the same adapter for PEFT.from_pretrained
 *   peft/adapter_config.json
 *   client_metrics.parquet              one row per client of the round
 *   round_metrics.parquet               one row
 *   client_updates.parquet              optional: client_id, attempt, name, shape, values
 *   strategy_state/NAME.parquet         optional: the strategy's persisted state
 *   eval_metrics.parquet                optional: held-out evaluation of the global adapter
 *   eval_generations.parquet            optional: its greedy answers
 *   client_state/CLIENT.parquet         optional: per-client strategy state (SCAFFOLD's c_i) of this round's clients
 *   privacy_ledger.parquet              optional: the round's DP ledger row
 *   manifest.json                       checksums of all the above
 *   _SUCCESS                            sha256 of manifest.json; written last
 * runDir/rounds/_tmp-round-00001-UUID/  a commit in progress (invisible, removed on open)
 * runDir/rounds/_tmp-updates-round-00001-UUID/  a round's client files staged by the executors
 * runDir/metrics/client_metrics/round-00001.parquet   the tables: one file per committed round, so that
 * runDir/metrics/round_metrics/round-00001.parquet    one directory path reads a whole table
 * runDir/metrics/eval_metrics/round-00000.parquet     (round 0: the base model; evaluate adds
 * runDir/metrics/eval_generations/...                  eval-TIME-ID.parquet files)
 * runDir/metrics/judge_scores/round-00001.parquet
 * runDir/privacy/ledger/round-00001.parquet
 * runDir/evaluations/metrics/eval_*     evaluate's rows of a round the run's own tables already hold
 * runDir/report.html                    the run report
 * runDir/_writer.lock                   held while prepare, train or round writes (fs.WriterLock)
 * runDir/experiment/                    an experiment's directory (see {@link #experimentDir})
 * </pre>
 * Names starting with '_' or '.' are hidden from Spark and Hive readers, so temporary files are.
 */
public final class RunLayout {
  /** Files of a committed round, relative to its directory (as its manifest lists them). */
  public static final String ADAPTER_FILE = "adapter.parquet";
  public static final String PEFT_DIR = "peft";
  public static final String CLIENT_METRICS_FILE = "client_metrics.parquet";
  public static final String ROUND_METRICS_FILE = "round_metrics.parquet";
  public static final String CLIENT_UPDATES_FILE = "client_updates.parquet";
  public static final String STRATEGY_STATE_DIR = "strategy_state";
  public static final String EVAL_METRICS_FILE = "eval_metrics.parquet";
  public static final String EVAL_GENERATIONS_FILE = "eval_generations.parquet";
  public static final String CLIENT_STATE_DIR = "client_state";
  public static final String PRIVACY_LEDGER_FILE = "privacy_ledger.parquet";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String SUCCESS_FILE = "_SUCCESS";

  /** Files of the prepared-data directory. */
  public static final String PREPARE_SUMMARY_FILE = "summary.json";
  public static final String PREPARE_CONFIG_FILE = "config.yaml";
  public static final String PREPARE_FINGERPRINT_FILE = "fingerprint.json";

  /** Prefix of everything being written: hidden from readers, removed by the next writer after a crash. */
  public static final String TMP_PREFIX = "_tmp-";

  /** The label of the base model's rows in the evaluation tables (round 0). */
  public static final String BASE_ADAPTER = "base";

  private static final String WRITER_LOCK_FILE = "_writer.lock";
  private static final String DATA_DIR = "data";
  private static final String ROUNDS_DIR = "rounds";
  private static final String EVALUATIONS_DIR = "evaluations";
  private static final String EXPERIMENT_DIR = "experiment";
  private static final String REPORT_FILE = "report.html";
  private static final String CLIENTS_DIR = "clients";
  private static final String CLIENT_STATS_DIR = "client_stats";
  private static final String STAGING_PREFIX = TMP_PREFIX + "updates-";
  private static final String PARQUET = ".parquet";

  private static final Pattern ROUND_DIR = Pattern.compile("round-(\\d{5,})");
  private static final Pattern ROUND_FILE = Pattern.compile("round-(\\d{5,})\\.parquet");

  /**
   * The tables of a run with their place relative to the run directory; each is a directory of Parquet files
   * with one schema, read as one table.
   */
  public enum Table {
    CLIENT_METRICS("metrics/client_metrics"),
    ROUND_METRICS("metrics/round_metrics"),
    EVAL_METRICS("metrics/eval_metrics"),
    EVAL_GENERATIONS("metrics/eval_generations"),
    JUDGE_SCORES("metrics/judge_scores"),
    PRIVACY_LEDGER("privacy/ledger"),
    CLIENT_STATS(DATA_DIR + "/" + CLIENT_STATS_DIR),
    EXPERIMENT_RESULTS(EXPERIMENT_DIR + "/results"),
    EXPERIMENT_RECORD_SCORES(EXPERIMENT_DIR + "/record_scores"),
    EXPERIMENT_COMPARISONS(EXPERIMENT_DIR + "/comparisons");

    private final String relativePath;

    Table(String relativePath) {
      this.relativePath = relativePath;
    }

    /** e.g. {@code metrics/eval_metrics}: where the table is under a run directory. */
    public String relativePath() {
      return relativePath;
    }

    /** The table's directory name alone, e.g. {@code eval_metrics}. */
    public String dirName() {
      return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }
  }

  private final Path runDir;

  public RunLayout(Path runDir) {
    this.runDir = runDir;
  }

  public static RunLayout of(String runDir) {
    return new RunLayout(new Path(runDir));
  }

  public Path runDir() {
    return runDir;
  }

  /** {@code runDir/<table>}: the directory holding the table's Parquet files. */
  public Path table(Table table) {
    return new Path(runDir, table.relativePath());
  }

  // --- rounds ---

  /** {@code round-00001}: the name of round 1's directory and of its file in every per-round table. */
  public static String roundName(int round) {
    return String.format("round-%05d", round);
  }

  /** {@code round-00001.parquet}: round 1's file in a per-round table. */
  public static String roundFileName(int round) {
    return roundName(round) + PARQUET;
  }

  /**
   * The label of a run's own adapter in the evaluation and judge tables: {@link #BASE_ADAPTER} for round 0 (the
   * base model), else the round's name.
   */
  public static String adapterName(int round) {
    return round == 0 ? BASE_ADAPTER : roundName(round);
  }

  /** Round number of a "round-00001" directory name, empty for anything else. */
  public static OptionalInt parseRoundDir(String name) {
    return parse(ROUND_DIR.matcher(name));
  }

  /** Round number of a "round-00001.parquet" table file name, empty for anything else. */
  public static OptionalInt parseRoundFile(String name) {
    return parse(ROUND_FILE.matcher(name));
  }

  /** Whether Spark, Hive and the readers here skip a file or folder of this name. */
  public static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** {@code runDir/_writer.lock}: the one-writer lock a prepare, train or round holds while it runs. */
  public Path writerLock() {
    return new Path(runDir, WRITER_LOCK_FILE);
  }

  public Path roundsDir() {
    return new Path(runDir, ROUNDS_DIR);
  }

  public Path roundDir(int round) {
    return new Path(roundsDir(), roundName(round));
  }

  /** A fresh, hidden directory a commit of {@code round} writes into before renaming it to {@link #roundDir}. */
  public Path newTempRoundDir(int round) {
    return new Path(roundsDir(), TMP_PREFIX + roundName(round) + "-" + UUID.randomUUID());
  }

  /** A fresh, hidden directory for the client files the executors stage in {@code round}. */
  public Path newStagingDir(int round) {
    return new Path(roundsDir(), STAGING_PREFIX + roundName(round) + "-" + UUID.randomUUID());
  }

  /** Whether {@code dir} is a staging directory of this run ({@link #newStagingDir}). */
  public boolean isStagingDir(Path dir) {
    return dir.getParent() != null && dir.getParent().equals(roundsDir()) && dir.getName().startsWith(STAGING_PREFIX);
  }

  /** {@code <table>/round-00001.parquet}. */
  public Path roundFile(Table table, int round) {
    return new Path(table(table), roundFileName(round));
  }

  /** A fresh, hidden file in {@code table} that becomes {@link #roundFile} by a rename. */
  public Path newTempRoundFile(Table table, int round) {
    return new Path(table(table), TMP_PREFIX + roundName(round) + "-" + UUID.randomUUID() + PARQUET);
  }

  // --- prepared data ---

  public Path dataDir() {
    return new Path(runDir, DATA_DIR);
  }

  /** The client table under a prepared-data directory (the run's {@link #dataDir}, or one being written). */
  public static Path clientTable(Path dataDir) {
    return new Path(dataDir, CLIENTS_DIR);
  }

  /** The per-client statistics table under a prepared-data directory. */
  public static Path clientStatsTable(Path dataDir) {
    return new Path(dataDir, CLIENT_STATS_DIR);
  }

  /** The records of a held-out split ({@code heldout}, {@code validation}) under a prepared-data directory. */
  public static Path heldOutSplit(Path dataDir, String split) {
    return new Path(dataDir, split);
  }

  /** {@code data/summary.json}: what prepare did. */
  public Path prepareSummary() {
    return new Path(dataDir(), PREPARE_SUMMARY_FILE);
  }

  /** The same path relative to the run directory, for messages. */
  public static String prepareSummaryRelative() {
    return DATA_DIR + "/" + PREPARE_SUMMARY_FILE;
  }

  // --- what the commands add ---

  /**
   * {@code eval-20250101-120000-1a2b3c4d.parquet}: a fresh name for the file of one {@code evaluate} in the
   * evaluation tables (UTC time, then a random id), beside the rounds' {@code round-NNNNN.parquet}.
   */
  public static String newEvaluationFileName() {
    return "eval-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-" + UUID.randomUUID().toString().substring(0, 8) + PARQUET;
  }

  /**
   * {@code evaluations/}: where {@code evaluate} puts rows of a round the run's own evaluation tables already
   * hold; laid out as a run directory ({@code evaluations/metrics/eval_metrics}), so {@code of(evaluationsDir())}
   * finds its tables.
   */
  public Path evaluationsDir() {
    return new Path(runDir, EVALUATIONS_DIR);
  }

  public Path reportFile() {
    return new Path(runDir, REPORT_FILE);
  }

  // --- experiment ---

  /**
   * {@code experiment/}: an experiment's settings ({@link #experimentSettings}), its tables
   * ({@link Table#EXPERIMENT_RESULTS}, {@link Table#EXPERIMENT_RECORD_SCORES}, {@link Table#EXPERIMENT_COMPARISONS})
   * and each seed's federated run ({@link #experimentArmRunName}) as a run directory of its own.
   */
  public Path experimentDir() {
    return new Path(runDir, EXPERIMENT_DIR);
  }

  /** {@code experiment/experiment.yaml}: the settings a rerun of the experiment must match. */
  public Path experimentSettings() {
    return new Path(experimentDir(), "experiment.yaml");
  }

  /** The run name (a directory under {@link #experimentDir}) of the experiment's federated run of {@code seed}. */
  public static String experimentArmRunName(long seed) {
    return "fedit-seed-" + seed;
  }

  /** {@code seed-7.parquet}: one seed's file in the experiment's per-seed tables. */
  public static String seedFileName(long seed) {
    return "seed-" + seed + PARQUET;
  }

  /** {@code comparisons.parquet}: the one file of {@link Table#EXPERIMENT_COMPARISONS}. */
  public static String comparisonsFileName() {
    return "comparisons" + PARQUET;
  }

  private static OptionalInt parse(Matcher m) {
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  @Override
  public String toString() {
    return runDir.toString();
  }
}
