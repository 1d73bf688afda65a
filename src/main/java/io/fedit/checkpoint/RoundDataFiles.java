package io.fedit.checkpoint;

import io.fedit.layout.RunLayout;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writers of a round's data files into its temp dir (part of step 1 of {@link CheckpointStore}'s commit
 * protocol): the PEFT export, and the state kept beside the adapter (client updates, strategy state,
 * client states and the privacy ledger). The commit calls them in its own order, between its fault points.
 */
final class RoundDataFiles {
  private RoundDataFiles() {}

  /** The PEFT adapter directory (adapter_model.safetensors, then adapter_config.json) under {@code tmp}. */
  static void writePeft(FileSystem fs, Path tmp, RoundCheckpoint cp, PeftExport peft) throws IOException {
    // The PEFT export is for other tools and for people, who edit adapter_config.json: no Hadoop .crc
    // sidecars there (a stale one would make the directory unreadable); the manifest's SHA-256 guards it.
    FileSystem plain = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    try (OutputStream out = plain.create(new Path(tmp, RunLayout.PEFT_DIR + "/" + PeftExport.WEIGHTS_FILE), false)) {
      peft.writeWeights(out, cp.global());
    }
    try (OutputStream out = plain.create(new Path(tmp, RunLayout.PEFT_DIR + "/" + PeftExport.CONFIG_FILE), false)) {
      out.write(PeftExport.adapterConfigJson(cp.lora(), cp.baseModelNameOrPath()));
    }
  }

  /**
   * In this order: the accepted client updates (when kept), the strategy state, then the client states and
   * privacy ledger ({@link RoundExtras}), then the client files the executors staged ({@link StagedClientFiles}).
   */
  static void writeState(Configuration conf, Path tmp, RoundCheckpoint cp) throws IOException {
    if (!cp.clientUpdates().isEmpty()) {
      Map<String, Integer> attempts = new LinkedHashMap<>();
      for (ClientMetricsRow r : cp.clientMetrics()) {
        if (r.status().equals("accepted")) attempts.put(r.clientId(), r.attempt());
      }
      AdapterParquet.writeClientUpdates(conf, new Path(tmp, RunLayout.CLIENT_UPDATES_FILE), cp.clientUpdates(), attempts);
    }
    for (Map.Entry<String, AdapterWeights> s : cp.strategyState().entrySet()) {
      AdapterParquet.write(conf, new Path(tmp, strategyStateFile(s.getKey())), s.getValue());
    }
    RoundExtras.write(conf, tmp, cp.clientStates(), cp.privacyLedger());
    cp.staged().takeInto(conf, tmp.getFileSystem(conf), tmp);
  }

  /** {@code strategy_state/NAME.parquet}, relative to the round directory (as the manifest lists it). */
  static String strategyStateFile(String name) {
    return RunLayout.STRATEGY_STATE_DIR + "/" + name + ".parquet";
  }
}
