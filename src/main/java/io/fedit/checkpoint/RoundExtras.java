package io.fedit.checkpoint;

import io.fedit.fs.ParquetOutput;
import io.fedit.layout.RunLayout;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The strategy files of a round beside the adapter, written into the round's temp directory and so committed
 * (or lost) with it: SCAFFOLD's per-client control variates {@code client_state/<client>.parquet} (adapter
 * tables) and the DP ledger row {@code privacy_ledger.parquet} (names: {@link RunLayout}). Owner of the ledger's format.
 */
public final class RoundExtras {
  static final MessageType LEDGER_SCHEMA = MessageTypeParser.parseMessageType("""
      message privacy_ledger {
        required int32 round;
        required double q;
        required double noise_multiplier;
        required double clip_norm;
        required double delta;
        required double epsilon_spent;
        required int32 clients_sampled;
        required int32 clients_accepted;
        required int32 clients_clipped;
        optional double clipped_share;
      }""");

  private RoundExtras() {}

  /**
   * File name of a client's state: the id itself when it is a plain name, else "x" + hex of its UTF-8 bytes
   * (ids may hold '/', '=', spaces: they come from data).
   */
  public static String clientStateFile(String clientId) {
    String name = clientId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") ? clientId
        : "x" + HexFormat.of().formatHex(clientId.getBytes(StandardCharsets.UTF_8));
    return RunLayout.CLIENT_STATE_DIR + "/" + name + ".parquet";
  }

  static void write(Configuration conf, Path tmp, Map<String, AdapterWeights> clientStates, PrivacyLedgerRow ledger)
      throws IOException {
    for (Map.Entry<String, AdapterWeights> e : clientStates.entrySet()) {
      AdapterParquet.write(conf, new Path(tmp, clientStateFile(e.getKey())), e.getValue());
    }
    if (ledger != null) {
      try (ParquetWriter<Group> w = ParquetOutput.writer(conf, new Path(tmp, RunLayout.PRIVACY_LEDGER_FILE), LEDGER_SCHEMA)) {
        Group g = new SimpleGroupFactory(LEDGER_SCHEMA).newGroup().append("round", ledger.round())
            .append("q", ledger.q()).append("noise_multiplier", ledger.noiseMultiplier())
            .append("clip_norm", ledger.clipNorm()).append("delta", ledger.delta())
            .append("epsilon_spent", ledger.epsilonSpent()).append("clients_sampled", ledger.clientsSampled())
            .append("clients_accepted", ledger.clientsAccepted()).append("clients_clipped", ledger.clientsClipped());
        if (!Double.isNaN(ledger.clippedShare())) g.append("clipped_share", ledger.clippedShare());
        w.write(g);
      }
    }
  }

  static List<PrivacyLedgerRow> readLedger(Configuration conf, Path file) throws IOException {
    List<PrivacyLedgerRow> out = new ArrayList<>();
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) {
        out.add(new PrivacyLedgerRow(g.getInteger("round", 0), g.getDouble("q", 0), g.getDouble("noise_multiplier", 0),
            g.getDouble("clip_norm", 0), g.getDouble("delta", 0), g.getDouble("epsilon_spent", 0),
            g.getInteger("clients_sampled", 0), g.getInteger("clients_accepted", 0),
            g.getInteger("clients_clipped", 0),
            g.getFieldRepetitionCount("clipped_share") == 0 ? Double.NaN : g.getDouble("clipped_share", 0)));
      }
    }
    return out;
  }

  /**
   * Reads a client's state file on an executor and checks it against the size and SHA-256 its round's
   * manifest recorded (the driver passes them along), so a damaged file fails the task with its path.
   */
  public static AdapterWeights readClientState(String file, long size, String sha256, Configuration conf)
      throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    RoundManifest.FileEntry actual = Checksums.of(fs, p);
    if (actual.size() != size || !actual.sha256().equals(sha256)) {
      throw new CheckpointCorruptException(p + " is corrupt: size " + actual.size() + " sha256 " + actual.sha256()
          + ", manifest says size " + size + " sha256 " + sha256);
    }
    return AdapterParquet.read(conf, p);
  }
}
