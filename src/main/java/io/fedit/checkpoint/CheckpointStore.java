package io.fedit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalTables;
import io.fedit.federation.TestFaults;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Commits rounds of a run to any Hadoop filesystem (local path, hdfs://) and reads them back. Layout:
 * {@link RunLayout}. One writer per run directory is assumed (the round driver); readers may run any time.
 *
 * <p>Commit protocol, a small state machine; the state on disk after a crash at any step is shown:
 * <ol>
 *   <li>write every data file and then manifest.json (checksums) into {@code rounds/_tmp-round-N-UUID/}
 *       → only a temp dir exists: invisible, deleted on the next open;</li>
 *   <li>copy the metrics files into {@code metrics/client_metrics/round-N.parquet} and
 *       {@code metrics/round_metrics/round-N.parquet} (and, for an evaluated round, {@code metrics/eval_metrics}
 *       and {@code metrics/eval_generations}), each via a hidden temp file
 *       and a rename → a metrics file of an uncommitted round may exist: deleted on the next open,
 *       overwritten when the round is redone;</li>
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
    if (writer) {
      fs.mkdirs(layout.roundsDir);
      CrashCleanup.run(fs, layout, committedRounds());
    } else if (!fs.exists(layout.roundsDir)) {
      throw new IOException("no run at " + layout.runDir + ": " + layout.roundsDir + " does not exist");
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
    OptionalInt last = OptionalInt.empty();
    for (int r : committedRounds()) last = OptionalInt.of(r);
    return last;
  }

  /** All committed rounds, ascending. */
  public List<Integer> committedRounds() throws IOException {
    List<Integer> rounds = new ArrayList<>();
    for (FileStatus st : fs.listStatus(layout.roundsDir)) {
      OptionalInt r = RunLayout.parseRoundDir(st.getPath().getName());
      if (st.isDirectory() && r.isPresent() && fs.exists(new Path(st.getPath(), RunLayout.SUCCESS))) {
        rounds.add(r.getAsInt());
      }
    }
    rounds.sort(null);
    return rounds;
  }

  public boolean isCommitted(int round) throws IOException {
    return fs.exists(new Path(layout.roundDir(round), RunLayout.SUCCESS));
  }

  /** The directory of a round (committed or not): for tools that read files directly. */
  public Path roundDir(int round) {
    return layout.roundDir(round);
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
    if (!writer) throw new IllegalStateException("store of " + layout.runDir + " was opened for reading");
    long start = System.nanoTime();
    int round = cp.round();
    if (isCommitted(round)) return false;
    OptionalInt last = lastCommittedRound();
    if (round != last.orElse(0) + 1) {
      throw new IllegalStateException("cannot commit round " + round + ": the last committed round in "
          + layout.roundsDir + " is " + last.orElse(0) + " (rounds are committed in order, without gaps)");
    }
    Path finalDir = layout.roundDir(round);
    if (fs.exists(finalDir)) fs.delete(finalDir, true); // a crashed commit's renamed dir, never committed
    Path tmp = layout.newTempRoundDir(round);
    fs.mkdirs(tmp);

    AdapterParquet.write(conf, new Path(tmp, RunLayout.ADAPTER), cp.global());
    TestFaults.haltIf("adapter", round);
    // The PEFT export is for other tools and for people, who edit adapter_config.json: no Hadoop .crc
    // sidecars there (a stale one would make the directory unreadable); the manifest's SHA-256 guards it.
    FileSystem plain = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    try (OutputStream out = plain.create(new Path(tmp, RunLayout.PEFT_DIR + "/" + PeftExport.WEIGHTS_FILE), false)) {
      peft.writeWeights(out, cp.global());
    }
    try (OutputStream out = plain.create(new Path(tmp, RunLayout.PEFT_DIR + "/" + PeftExport.CONFIG_FILE), false)) {
      out.write(PeftExport.adapterConfigJson(cp.lora(), cp.baseModelNameOrPath()));
    }
    TestFaults.haltIf("peft", round);
    if (!cp.clientUpdates().isEmpty()) {
      Map<String, Integer> attempts = new LinkedHashMap<>();
      for (ClientMetricsRow r : cp.clientMetrics()) {
        if (r.status().equals("accepted")) attempts.put(r.clientId(), r.attempt());
      }
      AdapterParquet.writeClientUpdates(conf, new Path(tmp, RunLayout.CLIENT_UPDATES), cp.clientUpdates(), attempts);
    }
    for (Map.Entry<String, AdapterWeights> s : cp.strategyState().entrySet()) {
      AdapterParquet.write(conf, new Path(tmp, RunLayout.STRATEGY_DIR + "/" + s.getKey() + ".parquet"), s.getValue());
    }
    RoundExtras.write(conf, tmp, cp.clientStates(), cp.privacyLedger());
    MetricsParquet.writeClient(conf, new Path(tmp, RunLayout.CLIENT_METRICS), cp.clientMetrics());
    // The commit time recorded is that of writing the data above; the remaining steps take milliseconds.
    long commitMs = (System.nanoTime() - start) / 1_000_000;
    MetricsParquet.writeRound(conf, new Path(tmp, RunLayout.ROUND_METRICS), cp.roundMetrics().withCommit(commitMs));

    if (!cp.eval().isEmpty()) EvalTables.writeBoth(conf, tmp, cp.eval());

    RoundManifest manifest = new RoundManifest(RoundManifest.FORMAT_VERSION, round,
        last.isPresent() ? last.getAsInt() : -1, cp.runName(), cp.strategy(), cp.configYaml(), cp.inputHashes(),
        Checksums.ofTree(fs, tmp), RoundManifest.clientsByStatus(cp.clientMetrics()));
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    writeBytes(new Path(tmp, RunLayout.MANIFEST), manifestBytes);

    publishMetrics(layout.clientMetricsTable, round, new Path(tmp, RunLayout.CLIENT_METRICS));
    publishMetrics(layout.roundMetricsTable, round, new Path(tmp, RunLayout.ROUND_METRICS));
    if (!cp.eval().isEmpty()) {
      publishMetrics(layout.evalMetricsTable, round, new Path(tmp, EvalTables.METRICS_FILE));
      publishMetrics(layout.evalGenerationsTable, round, new Path(tmp, EvalTables.GENERATIONS_FILE));
    }
    if (cp.privacyLedger() != null) publishMetrics(layout.privacyLedgerTable, round, new Path(tmp, RoundExtras.LEDGER));
    TestFaults.haltIf("metrics", round);

    if (!fs.rename(tmp, finalDir)) {
      throw new IOException("could not rename " + tmp + " to " + finalDir);
    }
    TestFaults.haltIf("rename", round);
    // _SUCCESS is written under a temp name and renamed: a crash mid-write never leaves a torn _SUCCESS,
    // which would make the round look committed but fail its manifest check.
    Path successTmp = new Path(finalDir, RunLayout.TMP_PREFIX + RunLayout.SUCCESS);
    writeBytes(successTmp, Checksums.of(manifestBytes).getBytes(StandardCharsets.US_ASCII));
    TestFaults.haltIf("success", round);
    if (!fs.rename(successTmp, new Path(finalDir, RunLayout.SUCCESS))) {
      throw new IOException("could not rename " + successTmp + " to _SUCCESS in " + finalDir);
    }
    return true;
  }

  /** The global adapter of a committed round, after checking its manifest and checksums. */
  public AdapterWeights loadAdapter(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    Path file = verifyFile(round, m, RunLayout.ADAPTER);
    return AdapterParquet.read(conf, file);
  }

  /** The strategy state stored with a committed round (empty for stateless strategies). */
  public Map<String, AdapterWeights> loadStrategyState(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    Map<String, AdapterWeights> out = new TreeMap<>();
    String prefix = RunLayout.STRATEGY_DIR + "/";
    for (String rel : m.files().keySet()) {
      if (rel.startsWith(prefix) && rel.endsWith(".parquet")) {
        String name = rel.substring(prefix.length(), rel.length() - ".parquet".length());
        out.put(name, AdapterParquet.read(conf, verifyFile(round, m, rel)));
      }
    }
    return out;
  }

  /** The DP ledger rows of every committed round that has one, ascending (checked against the manifests). */
  public List<PrivacyLedgerRow> readPrivacyLedger() throws IOException {
    List<PrivacyLedgerRow> out = new ArrayList<>();
    for (int r : committedRounds()) {
      RoundManifest m = loadManifest(r);
      if (m.files().containsKey(RoundExtras.LEDGER)) out.addAll(RoundExtras.readLedger(conf, verifyFile(r, m, RoundExtras.LEDGER)));
    }
    return out;
  }

  /** Where a client's latest committed state file is, with the size and SHA-256 its manifest recorded. */
  public record ClientStateRef(String path, long size, String sha256) implements java.io.Serializable {}

  /**
   * client id → its newest committed state file (SCAFFOLD's c_i) among {@code clientIds}; clients that never
   * committed one are absent. Reads the manifests of the committed rounds, newest first.
   */
  public Map<String, ClientStateRef> latestClientStates(java.util.Collection<String> clientIds) throws IOException {
    Map<String, ClientStateRef> out = new LinkedHashMap<>();
    List<Integer> rounds = committedRounds();
    for (int i = rounds.size() - 1; i >= 0 && out.size() < clientIds.size(); i--) {
      RoundManifest m = loadManifest(rounds.get(i));
      for (String id : clientIds) {
        String rel = RoundExtras.clientStateFile(id);
        RoundManifest.FileEntry f = m.files().get(rel);
        if (f != null && !out.containsKey(id)) {
          out.put(id, new ClientStateRef(new Path(layout.roundDir(rounds.get(i)), rel).toString(), f.size(), f.sha256()));
        }
      }
    }
    return out;
  }

  /** Directory holding the privacy ledger as one table (one file per committed round). */
  public String privacyLedgerTable() {
    return layout.privacyLedgerTable.toString();
  }

  /** Client adapters kept with a committed round (empty unless keep_client_updates). */
  public Map<String, AdapterWeights> loadClientUpdates(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    if (!m.files().containsKey(RunLayout.CLIENT_UPDATES)) return Map.of();
    return AdapterParquet.readClientUpdates(conf, verifyFile(round, m, RunLayout.CLIENT_UPDATES));
  }

  /** The manifest of a committed round, checked against the checksum in _SUCCESS. */
  public RoundManifest loadManifest(int round) throws IOException {
    Path dir = layout.roundDir(round);
    Path success = new Path(dir, RunLayout.SUCCESS);
    if (!fs.exists(success)) {
      throw new IllegalArgumentException("round " + round + " is not committed: no " + success);
    }
    byte[] manifestBytes = readBytes(new Path(dir, RunLayout.MANIFEST));
    String expected = new String(readBytes(success), StandardCharsets.US_ASCII).trim();
    if (!Checksums.of(manifestBytes).equals(expected)) {
      throw new CheckpointCorruptException(new Path(dir, RunLayout.MANIFEST)
          + " does not match the SHA-256 recorded in " + success);
    }
    RoundManifest m = JSON.readValue(manifestBytes, RoundManifest.class);
    if (m.round() != round) {
      throw new CheckpointCorruptException(new Path(dir, RunLayout.MANIFEST) + " is for round " + m.round());
    }
    return m;
  }

  /** Checks every file of a committed round against its manifest; throws naming the first bad file. */
  public void verify(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    for (String rel : m.files().keySet()) verifyFile(round, m, rel);
  }

  /** Client metrics of one committed round. */
  public List<ClientMetricsRow> readClientMetrics(int round) throws IOException {
    return MetricsParquet.readClient(conf, verifyFile(round, loadManifest(round), RunLayout.CLIENT_METRICS));
  }

  /** The round metrics of every committed round, ascending. */
  public List<RoundMetricsRow> readRoundMetrics() throws IOException {
    List<RoundMetricsRow> out = new ArrayList<>();
    for (int r : committedRounds()) {
      out.add(MetricsParquet.readRound(conf, verifyFile(r, loadManifest(r), RunLayout.ROUND_METRICS)));
    }
    return out;
  }

  /** Whether the base model's evaluation (round 0 of the eval tables) is written. */
  public boolean hasBaseEvaluation() throws IOException {
    return fs.exists(layout.metricsFile(layout.evalMetricsTable, 0));
  }

  /**
   * Writes the base model's evaluation as round 0 of the eval tables, each file whole through a hidden temp
   * file and a rename (a crash leaves at most a temp file, removed on the next open).
   */
  public void commitBaseEvaluation(EvalResult base) throws IOException {
    if (!writer) throw new IllegalStateException("store of " + layout.runDir + " was opened for reading");
    for (var r : base.metrics()) {
      if (r.round() != 0) throw new IllegalArgumentException("base evaluation rows must be round 0, got " + r.round());
    }
    EvalTables.publish(conf, layout.runDir, RunLayout.roundName(0) + ".parquet", base);
  }

  /** Evaluation rows committed with round {@code round} (empty when it was not evaluated), checksums verified. */
  public List<EvalMetricsRow> readEvalMetrics(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    if (!m.files().containsKey(EvalTables.METRICS_FILE)) return List.of();
    return EvalTables.readMetrics(conf, verifyFile(round, m, EvalTables.METRICS_FILE));
  }

  /** The base model's evaluation rows (round 0), empty when not written. */
  public List<EvalMetricsRow> readBaseEvalMetrics() throws IOException {
    Path f = layout.metricsFile(layout.evalMetricsTable, 0);
    return fs.exists(f) ? EvalTables.readMetrics(conf, f) : List.of();
  }

  public String evalMetricsTable() {
    return layout.evalMetricsTable.toString();
  }

  public String evalGenerationsTable() {
    return layout.evalGenerationsTable.toString();
  }

  /** Directory holding client_metrics as one table (one file per committed round). */
  public String clientMetricsTable() {
    return layout.clientMetricsTable.toString();
  }

  public String roundMetricsTable() {
    return layout.roundMetricsTable.toString();
  }

  private Path verifyFile(int round, RoundManifest m, String rel) throws IOException {
    Path file = new Path(layout.roundDir(round), rel);
    RoundManifest.FileEntry expected = m.files().get(rel);
    if (expected == null) throw new CheckpointCorruptException("manifest of round " + round + " does not list " + rel);
    if (!fs.exists(file)) throw new CheckpointCorruptException(file + " is listed in the manifest but missing");
    RoundManifest.FileEntry actual = Checksums.of(fs, file);
    if (!actual.equals(expected)) {
      throw new CheckpointCorruptException(file + " is corrupt: size " + actual.size() + " sha256 " + actual.sha256()
          + ", manifest says size " + expected.size() + " sha256 " + expected.sha256());
    }
    return file;
  }

  /** Copies a metrics file into its table directory: hidden temp file, then replace (idempotent redo). */
  private void publishMetrics(Path table, int round, Path source) throws IOException {
    fs.mkdirs(table);
    Path tmp = layout.newTempMetricsFile(table, round);
    FileUtil.copy(fs, source, fs, tmp, false, conf);
    Path target = layout.metricsFile(table, round);
    if (fs.exists(target)) fs.delete(target, false);
    if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
  }

  private void writeBytes(Path file, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(bytes);
    }
  }

  private byte[] readBytes(Path file) throws IOException {
    try (var in = fs.open(file)) {
      return in.readAllBytes();
    }
  }
}
