package io.fedit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalTables;
import io.fedit.fault.FaultPoints;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits rounds of a run to any Hadoop filesystem (local path, hdfs://) and reads them back. Layout:
 * {@link RunLayout}. One writer per run directory is assumed (the round driver); readers may run any time.
 * Reading committed rounds back is {@link CommittedRounds}; publishing the metrics tables (step 2 below) is
 * {@link MetricsTables}; the PEFT export and the state files of step 1 are written by {@link RoundDataFiles}.
 *
 * <p>Commit protocol, a small state machine; the state on disk after a crash at any step is shown:
 * <ol>
 *   <li>write every data file and then manifest.json (checksums) into {@code rounds/_tmp-round-N-UUID/}
 *       → only a temp dir exists: invisible, deleted on the next open;</li>
 *   <li>copy the metrics files into {@code metrics/client_metrics/round-N.parquet} and
 *       {@code metrics/round_metrics/round-N.parquet} (and, for an evaluated round, write its rows into
 *       {@code metrics/eval_metrics} and {@code metrics/eval_generations} through their one writer,
 *       {@link EvalTables#publish}), each via a hidden temp file and a rename → a metrics file of an
 *       uncommitted round may exist: deleted on the next open, overwritten when the round is redone;</li>
 *   <li>rename the temp dir to {@code rounds/round-N} → a round dir without _SUCCESS: invisible, deleted
 *       on open and before a redo;</li>
 *   <li>write {@code _SUCCESS} (holding the manifest's SHA-256) inside it, under a temp name renamed into
 *       place: the commit point.</li>
 * </ol>
 * _SUCCESS goes in after the rename, not before, so that the protocol also holds on stores whose
 * directory rename is not atomic (object stores copy file by file). A round with _SUCCESS is immutable:
 * committing it again is a no-op that returns false and touches nothing.
 */
public final class CheckpointStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Configuration conf;
  private final FileSystem fs;
  private final RunLayout layout;
  private final PeftExport peft;
  private final CommittedRounds rounds;
  private final MetricsTables metrics;
  /** Where tests crash a commit between its steps; nothing outside tests ({@link FaultPoints#NONE}). */
  private final FaultPoints faults = FaultPoints.installed();

  private final boolean writer;

  /**
   * Opens the run directory as its one writer: creates it if needed and removes what crashed commits
   * left behind (which would break a commit in progress elsewhere: readers use {@link #forReading}).
   */
  public CheckpointStore(String runDir, Configuration conf, PeftExport peft) throws IOException {
    this(runDir, conf, peft, true);
  }

  private CheckpointStore(String runDir, Configuration conf, PeftExport peft, boolean writer) throws IOException {
    Path dir = new Path(runDir);
    this.conf = conf;
    this.fs = dir.getFileSystem(conf);
    this.layout = new RunLayout(fs.makeQualified(dir));
    this.peft = peft;
    this.writer = writer;
    this.rounds = new CommittedRounds(conf, fs, layout);
    this.metrics = new MetricsTables(conf, fs, layout);
    if (writer) {
      fs.mkdirs(layout.roundsDir());
      CrashCleanup.run(fs, layout, committedRounds());
    } else if (!fs.exists(layout.roundsDir())) {
      throw new NoRunException("no run at " + layout.runDir() + ": " + layout.roundsDir() + " does not exist "
          + "(check output.dir and run.name)");
    }
  }

  /** Opens a run for reading only (evaluation, reports): changes nothing, safe beside a running writer. */
  public static CheckpointStore forReading(String runDir, Configuration conf) throws IOException {
    return new CheckpointStore(runDir, conf, PeftExport.standard(), false);
  }

  /** With the standard PEFT export. */
  public CheckpointStore(String runDir, Configuration conf) throws IOException {
    this(runDir, conf, PeftExport.standard());
  }

  /** The newest round with _SUCCESS, or empty when none is committed. */
  public OptionalInt lastCommittedRound() throws IOException {
    return rounds.lastCommittedRound();
  }

  /** All committed rounds, ascending. */
  public List<Integer> committedRounds() throws IOException {
    return rounds.committedRounds();
  }

  public boolean isCommitted(int round) throws IOException {
    return rounds.isCommitted(round);
  }

  /** The directory of a round (committed or not): for tools that read files directly. */
  public Path roundDir(int round) {
    return layout.roundDir(round);
  }

  /**
   * A fresh staging directory for round {@code round}'s client files ({@link StagedClientFiles}), as a fully
   * qualified path string for the executors: hidden from readers and removed by the next writer's crash cleanup
   * (its name starts with the temp prefix); the round driver removes it itself once the round is over.
   */
  public String newStagingDir(int round) throws IOException {
    Path dir = layout.newStagingDir(round);
    fs.mkdirs(dir);
    return dir.toString();
  }

  /** Removes a staging directory made by {@link #newStagingDir} (what the round did not commit goes with it). */
  public void discardStagingDir(String dir) throws IOException {
    Path p = new Path(dir);
    if (!layout.isStagingDir(p)) {
      throw new IllegalArgumentException(dir + " is not a staging directory of " + layout.roundsDir());
    }
    fs.delete(p, true);
  }

  /** The PEFT adapter directory of a round (adapter_config.json, adapter_model.safetensors). */
  public Path peftDir(int round) {
    return new Path(layout.roundDir(round), RunLayout.PEFT_DIR);
  }

  /**
   * Commits a round (protocol in the class comment). Returns true when written, false when the round
   * was already committed (then nothing is changed). Rounds must be committed in order: 1, 2, 3, ...
   */
  public boolean commit(RoundCheckpoint cp) throws IOException {
    if (!writer) throw new IllegalStateException("store of " + layout.runDir() + " was opened for reading");
    long start = System.nanoTime();
    int round = cp.round();
    if (isCommitted(round)) return false;
    OptionalInt last = lastCommittedRound();
    if (round != last.orElse(0) + 1) {
      throw new IllegalStateException("cannot commit round " + round + ": the last committed round in "
          + layout.roundsDir() + " is " + last.orElse(0) + " (rounds are committed in order, without gaps)");
    }
    Path finalDir = layout.roundDir(round);
    if (fs.exists(finalDir)) fs.delete(finalDir, true); // a crashed commit's renamed dir, never committed
    Path tmp = layout.newTempRoundDir(round);
    fs.mkdirs(tmp);

    AdapterParquet.write(conf, new Path(tmp, RunLayout.ADAPTER_FILE), cp.global());
    faults.reached(FaultPoints.Point.ADAPTER, round);
    RoundDataFiles.writePeft(fs, tmp, cp, peft);
    faults.reached(FaultPoints.Point.PEFT, round);
    RoundDataFiles.writeState(conf, tmp, cp);
    MetricsParquet.writeClient(conf, new Path(tmp, RunLayout.CLIENT_METRICS_FILE), cp.clientMetrics());
    // The commit time recorded is that of writing the data above; the remaining steps take milliseconds.
    long commitMs = (System.nanoTime() - start) / 1_000_000;
    MetricsParquet.writeRound(conf, new Path(tmp, RunLayout.ROUND_METRICS_FILE), cp.roundMetrics().withCommit(commitMs));

    if (!cp.eval().isEmpty()) EvalTables.writeBoth(conf, tmp, cp.eval());

    RoundManifest manifest = new RoundManifest(RoundManifest.FORMAT_VERSION, round,
        last.isPresent() ? last.getAsInt() : -1, cp.runName(), cp.strategy(), cp.configYaml(), cp.inputHashes(),
        Checksums.ofTree(fs, tmp), RoundManifest.clientsByStatus(cp.clientMetrics()));
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    writeBytes(new Path(tmp, RunLayout.MANIFEST_FILE), manifestBytes);

    metrics.publishRound(cp, round, tmp);
    faults.reached(FaultPoints.Point.METRICS, round);

    Publish.rename(fs, tmp, finalDir, Publish.IfExists.REFUSE);
    faults.reached(FaultPoints.Point.RENAME, round);
    // _SUCCESS is written under a temp name and renamed: a crash mid-write never leaves a torn _SUCCESS,
    // which would make the round look committed but fail its manifest check.
    Path successTmp = new Path(finalDir, RunLayout.TMP_PREFIX + RunLayout.SUCCESS_FILE);
    writeBytes(successTmp, Checksums.of(manifestBytes).getBytes(StandardCharsets.US_ASCII));
    faults.reached(FaultPoints.Point.SUCCESS, round);
    Publish.rename(fs, successTmp, new Path(finalDir, RunLayout.SUCCESS_FILE), Publish.IfExists.REFUSE);
    return true;
  }

  /** The global adapter of a committed round, after checking its manifest and checksums. */
  public AdapterWeights loadAdapter(int round) throws IOException {
    return rounds.loadAdapter(round);
  }

  /** The strategy state stored with a committed round (empty for stateless strategies). */
  public Map<String, AdapterWeights> loadStrategyState(int round) throws IOException {
    return rounds.loadStrategyState(round);
  }

  /** The DP ledger rows of every committed round that has one, ascending (checked against the manifests). */
  public List<PrivacyLedgerRow> readPrivacyLedger() throws IOException {
    return rounds.readPrivacyLedger();
  }

  /** Where a client's latest committed state file is, with the size and SHA-256 its manifest recorded. */
  public record ClientStateRef(String path, long size, String sha256) implements java.io.Serializable {}

  /**
   * client id → its newest committed state file (SCAFFOLD's c_i) among {@code clientIds}; clients that never
   * committed one are absent. Reads the manifests of the committed rounds, newest first.
   */
  public Map<String, ClientStateRef> latestClientStates(java.util.Collection<String> clientIds) throws IOException {
    return rounds.latestClientStates(clientIds);
  }

  /** Directory holding the privacy ledger as one table (one file per committed round). */
  public String privacyLedgerTable() {
    return layout.table(Table.PRIVACY_LEDGER).toString();
  }

  /** Client adapters kept with a committed round (empty unless keep_client_updates). */
  public Map<String, AdapterWeights> loadClientUpdates(int round) throws IOException {
    return rounds.loadClientUpdates(round);
  }

  /** The manifest of a committed round, checked against the checksum in _SUCCESS. */
  public RoundManifest loadManifest(int round) throws IOException {
    return rounds.loadManifest(round);
  }

  /** Checks every file of a committed round against its manifest; throws naming the first bad file. */
  public void verify(int round) throws IOException {
    rounds.verify(round);
  }

  /** Client metrics of one committed round. */
  public List<ClientMetricsRow> readClientMetrics(int round) throws IOException {
    return rounds.readClientMetrics(round);
  }

  /** The round metrics of every committed round, ascending. */
  public List<RoundMetricsRow> readRoundMetrics() throws IOException {
    return rounds.readRoundMetrics();
  }

  /** Whether the base model's evaluation (round 0 of the eval tables) is written. */
  public boolean hasBaseEvaluation() throws IOException {
    return rounds.hasBaseEvaluation();
  }

  /**
   * Writes the base model's evaluation as round 0 of the eval tables, each file whole through a hidden temp
   * file and a rename (a crash leaves at most a temp file, removed on the next open).
   */
  public void commitBaseEvaluation(EvalResult base) throws IOException {
    if (!writer) throw new IllegalStateException("store of " + layout.runDir() + " was opened for reading");
    for (var r : base.metrics()) {
      if (r.round() != 0) throw new IllegalArgumentException("base evaluation rows must be round 0, got " + r.round());
    }
    EvalTables.publish(conf, layout, RunLayout.roundFileName(0), base);
  }

  /** Evaluation rows committed with round {@code round} (empty when it was not evaluated), checksums verified. */
  public List<EvalMetricsRow> readEvalMetrics(int round) throws IOException {
    return rounds.readEvalMetrics(round);
  }

  /** The base model's evaluation rows (round 0), empty when not written. */
  public List<EvalMetricsRow> readBaseEvalMetrics() throws IOException {
    return rounds.readBaseEvalMetrics();
  }

  public String evalMetricsTable() {
    return layout.table(Table.EVAL_METRICS).toString();
  }

  public String evalGenerationsTable() {
    return layout.table(Table.EVAL_GENERATIONS).toString();
  }

  /** Directory holding client_metrics as one table (one file per committed round). */
  public String clientMetricsTable() {
    return layout.table(Table.CLIENT_METRICS).toString();
  }

  public String roundMetricsTable() {
    return layout.table(Table.ROUND_METRICS).toString();
  }

  private void writeBytes(Path file, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(bytes);
    }
  }
}
