package io.fedit.checkpoint;

import io.fedit.fs.ParquetOutput;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files a round's client tasks write on their executors into the round's staging directory
 * ({@link CheckpointStore#newStagingDir}, {@code rounds/_tmp-updates-round-N-UUID/}: hidden, removed by the next
 * writer's crash cleanup) and that its commit takes in, so that no client's tensors pass through the driver:
 * <pre>
 *   CLIENT-aATTEMPT.update                 the client's adapter for the aggregation ({@link UpdateFile})
 *   CLIENT-aATTEMPT.client_state.parquet   SCAFFOLD's new c_i, already in the committed client_state format
 *   CLIENT-aATTEMPT.client_update.parquet  keep_client_updates: the client's rows of client_updates.parquet
 * </pre>
 * At commit the client states are renamed into the round's {@code client_state/} and the kept update parts are
 * concatenated, row group by row group without decoding, into the one {@code client_updates.parquet} that
 * readers know. CLIENT is the id itself when it is a plain name, else "x" + the hex of its UTF-8 bytes.
 *
 * @param updates client id → its staged client_updates part (accepted clients, when updates are kept)
 * @param states  client id → its staged client state (SCAFFOLD's c_i of accepted clients)
 */
public record StagedClientFiles(Map<String, String> updates, Map<String, String> states) {
  public static final StagedClientFiles NONE = new StagedClientFiles(Map.of(), Map.of());

  public StagedClientFiles {
    updates = java.util.Collections.unmodifiableMap(new TreeMap<>(updates));
    states = java.util.Collections.unmodifiableMap(new TreeMap<>(states));
  }

  public boolean isEmpty() {
    return updates.isEmpty() && states.isEmpty();
  }

  /** Where a client's update for the aggregation goes. */
  public static Path updateFile(String stagingDir, String clientId, int attempt) {
    return new Path(stagingDir, base(clientId, attempt) + ".update");
  }

  /** Writes SCAFFOLD's new c_i of a client, on its executor; returns the file. */
  public static Path writeClientState(Configuration conf, String stagingDir, String clientId, int attempt,
      AdapterWeights state) throws IOException {
    Path p = new Path(stagingDir, base(clientId, attempt) + ".client_state.parquet");
    deleteIfThere(conf, p);
    AdapterParquet.write(conf, p, state);
    return p;
  }

  /** Writes a client's rows of the kept client updates table, on its executor; returns the file. */
  public static Path writeKeptUpdate(Configuration conf, String stagingDir, String clientId, int attempt,
      AdapterWeights adapter) throws IOException {
    Path p = new Path(stagingDir, base(clientId, attempt) + ".client_update.parquet");
    deleteIfThere(conf, p);
    AdapterParquet.writeClientUpdates(conf, p, Map.of(clientId, adapter), Map.of(clientId, attempt));
    return p;
  }

  private static String base(String clientId, int attempt) {
    String name = clientId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") ? clientId
        : "x" + HexFormat.of().formatHex(clientId.getBytes(StandardCharsets.UTF_8));
    return name + "-a" + attempt;
  }

  private static void deleteIfThere(Configuration conf, Path p) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    if (fs.exists(p)) fs.delete(p, false); // a retried task attempt's leftover
  }

  /** Commit step 1, inside the round's temp dir: moves the states in and concatenates the kept updates. */
  void takeInto(Configuration conf, FileSystem fs, Path tmp) throws IOException {
    for (Map.Entry<String, String> e : states.entrySet()) {
      Path target = new Path(tmp, RoundExtras.clientStateFile(e.getKey()));
      fs.mkdirs(target.getParent());
      try {
        Publish.rename(fs, new Path(e.getValue()), target, Publish.IfExists.REFUSE);
      } catch (IOException failed) {
        throw new IOException("could not move client " + e.getKey() + "'s state " + e.getValue() + " to " + target
            + ": " + failed.getMessage(), failed);
      }
    }
    if (updates.isEmpty()) return;
    ParquetOutput.concatenate(conf, new Path(tmp, RunLayout.CLIENT_UPDATES_FILE), AdapterParquet.CLIENT_UPDATES,
        updates.values().stream().map(Path::new).toList());
  }
}
