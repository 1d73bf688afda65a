package io.fedit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalTables;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads committed rounds of a run back (the readers behind {@link CheckpointStore}'s public API). A round
 * is committed when its directory holds _SUCCESS; its manifest is checked against the SHA-256 in _SUCCESS,
 * and every file read is checked against the manifest. Changes nothing on disk.
 */
final class CommittedRounds {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Configuration conf;
  private final FileSystem fs;
  private final RunLayout layout;

  CommittedRounds(Configuration conf, FileSystem fs, RunLayout layout) {
    this.conf = conf;
    this.fs = fs;
    this.layout = layout;
  }

  /** The newest round with _SUCCESS, or empty when none is committed. */
  OptionalInt lastCommittedRound() throws IOException {
    OptionalInt last = OptionalInt.empty();
    for (int r : committedRounds()) last = OptionalInt.of(r);
    return last;
  }

  /** All committed rounds, ascending. */
  List<Integer> committedRounds() throws IOException {
    List<Integer> rounds = new ArrayList<>();
    for (FileStatus st : fs.listStatus(layout.roundsDir())) {
      OptionalInt r = RunLayout.parseRoundDir(st.getPath().getName());
      if (st.isDirectory() && r.isPresent() && fs.exists(new Path(st.getPath(), RunLayout.SUCCESS_FILE))) {
        rounds.add(r.getAsInt());
      }
    }
    rounds.sort(null);
    return rounds;
  }

  boolean isCommitted(int round) throws IOException {
    return fs.exists(new Path(layout.roundDir(round), RunLayout.SUCCESS_FILE));
  }

  /** The global adapter of a committed round, after checking its manifest and checksums. */
  AdapterWeights loadAdapter(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    Path file = verifyFile(round, m, RunLayout.ADAPTER_FILE);
    return AdapterParquet.read(conf, file);
  }

  /** The strategy state stored with a committed round (empty for stateless strategies). */
  Map<String, AdapterWeights> loadStrategyState(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    Map<String, AdapterWeights> out = new TreeMap<>();
    String prefix = RunLayout.STRATEGY_STATE_DIR + "/";
    for (String rel : m.files().keySet()) {
      if (rel.startsWith(prefix) && rel.endsWith(".parquet")) {
        String name = rel.substring(prefix.length(), rel.length() - ".parquet".length());
        out.put(name, AdapterParquet.read(conf, verifyFile(round, m, rel)));
      }
    }
    return out;
  }

  /** The DP ledger rows of every committed round that has one, ascending (checked against the manifests). */
  List<PrivacyLedgerRow> readPrivacyLedger() throws IOException {
    List<PrivacyLedgerRow> out = new ArrayList<>();
    for (int r : committedRounds()) {
      RoundManifest m = loadManifest(r);
      if (m.files().containsKey(RunLayout.PRIVACY_LEDGER_FILE)) {
        out.addAll(RoundExtras.readLedger(conf, verifyFile(r, m, RunLayout.PRIVACY_LEDGER_FILE)));
      }
    }
    return out;
  }

  /**
   * client id → its newest committed state file (SCAFFOLD's c_i) among {@code clientIds}; clients that never
   * committed one are absent. Reads the manifests of the committed rounds, newest first.
   */
  Map<String, CheckpointStore.ClientStateRef> latestClientStates(Collection<String> clientIds) throws IOException {
    Map<String, CheckpointStore.ClientStateRef> out = new LinkedHashMap<>();
    List<Integer> rounds = committedRounds();
    for (int i = rounds.size() - 1; i >= 0 && out.size() < clientIds.size(); i--) {
      RoundManifest m = loadManifest(rounds.get(i));
      for (String id : clientIds) {
        String rel = RoundExtras.clientStateFile(id);
        RoundManifest.FileEntry f = m.files().get(rel);
        if (f != null && !out.containsKey(id)) {
          out.put(id, new CheckpointStore.ClientStateRef(
              new Path(layout.roundDir(rounds.get(i)), rel).toString(), f.size(), f.sha256()));
        }
      }
    }
    return out;
  }

  /** Client adapters kept with a committed round (empty unless keep_client_updates). */
  Map<String, AdapterWeights> loadClientUpdates(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    if (!m.files().containsKey(RunLayout.CLIENT_UPDATES_FILE)) return Map.of();
    return AdapterParquet.readClientUpdates(conf, verifyFile(round, m, RunLayout.CLIENT_UPDATES_FILE));
  }

  /** The manifest of a committed round, checked against the checksum in _SUCCESS. */
  RoundManifest loadManifest(int round) throws IOException {
    Path dir = layout.roundDir(round);
    Path success = new Path(dir, RunLayout.SUCCESS_FILE);
    if (!fs.exists(success)) {
      throw new IllegalArgumentException("round " + round + " is not committed: no " + success);
    }
    byte[] manifestBytes = readBytes(new Path(dir, RunLayout.MANIFEST_FILE));
    String expected = new String(readBytes(success), StandardCharsets.US_ASCII).trim();
    if (!Checksums.of(manifestBytes).equals(expected)) {
      throw new CheckpointCorruptException(new Path(dir, RunLayout.MANIFEST_FILE)
          + " does not match the SHA-256 recorded in " + success);
    }
    RoundManifest m = JSON.readValue(manifestBytes, RoundManifest.class);
    if (m.round() != round) {
      throw new CheckpointCorruptException(new Path(dir, RunLayout.MANIFEST_FILE) + " is for round " + m.round());
    }
    return m;
  }

  /** Checks every file of a committed round against its manifest; throws naming the first bad file. */
  void verify(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    for (String rel : m.files().keySet()) verifyFile(round, m, rel);
  }

  /** Checks these files (paths relative to the round directory) of a committed round against its manifest. */
  void verifyFiles(int round, List<String> relativePaths) throws IOException {
    RoundManifest m = loadManifest(round);
    for (String rel : relativePaths) verifyFile(round, m, rel);
  }

  /** Client metrics of one committed round. */
  List<ClientMetricsRow> readClientMetrics(int round) throws IOException {
    return MetricsParquet.readClient(conf, verifyFile(round, loadManifest(round), RunLayout.CLIENT_METRICS_FILE));
  }

  /** The round metrics of every committed round, ascending. */
  List<RoundMetricsRow> readRoundMetrics() throws IOException {
    List<RoundMetricsRow> out = new ArrayList<>();
    for (int r : committedRounds()) {
      out.add(MetricsParquet.readRound(conf, verifyFile(r, loadManifest(r), RunLayout.ROUND_METRICS_FILE)));
    }
    return out;
  }

  /** Whether the base model's evaluation (round 0 of the eval tables) is written. */
  boolean hasBaseEvaluation() throws IOException {
    return fs.exists(layout.roundFile(Table.EVAL_METRICS, 0));
  }

  /** Evaluation rows committed with round {@code round} (empty when it was not evaluated), checksums verified. */
  List<EvalMetricsRow> readEvalMetrics(int round) throws IOException {
    RoundManifest m = loadManifest(round);
    if (!m.files().containsKey(RunLayout.EVAL_METRICS_FILE)) return List.of();
    return EvalTables.readMetrics(conf, verifyFile(round, m, RunLayout.EVAL_METRICS_FILE));
  }

  /** The base model's evaluation rows (round 0), empty when not written. */
  List<EvalMetricsRow> readBaseEvalMetrics() throws IOException {
    Path f = layout.roundFile(Table.EVAL_METRICS, 0);
    return fs.exists(f) ? EvalTables.readMetrics(conf, f) : List.of();
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

  private byte[] readBytes(Path file) throws IOException {
    try (var in = fs.open(file)) {
      return in.readAllBytes();
    }
  }
}
