package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;
  private final Configuration conf = new Configuration();

  private CheckpointStore open() throws IOException {
    return new CheckpointStore(dir.resolve("run").toString(), conf);
  }

  private Path run(String rel) {
    return dir.resolve("run").resolve(rel);
  }

  @Test
  void emptyRunHasNoCommittedRound() throws IOException {
    assertEquals(OptionalInt.empty(), open().lastCommittedRound());
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    CheckpointStore store = open();
    RoundCheckpoint cp = round(1, true);
    assertTrue(store.commit(cp));
    assertEquals(OptionalInt.of(1), store.lastCommittedRound());
    AdapterWeights back = open().loadAdapter(1);
    assertEquals(List.copyOf(cp.global().tensors().keySet()), List.copyOf(back.tensors().keySet()));
    for (String name : cp.global().tensors().keySet()) {
      float[] a = cp.global().get(name).values();
      float[] b = back.get(name).values();
      assertArrayEquals(cp.global().get(name).shape(), back.get(name).shape());
      for (int i = 0; i < a.length; i++) {
        assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
      }
    }
    assertEquals(cp.clientUpdates(), store.loadClientUpdates(1));
    assertEquals(Map.of(), store.loadStrategyState(1));
    store.verify(1);
  }

  @Test
  void layoutManifestAndMetricsAreWritten() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    for (String f : List.of("adapter.parquet", "peft/adapter_model.safetensors", "peft/adapter_config.json",
        "client_metrics.parquet", "round_metrics.parquet", "manifest.json", "_SUCCESS")) {
      assertTrue(Files.exists(run("rounds/round-00001/" + f)), f);
    }
    assertFalse(Files.exists(run("rounds/round-00001/client_updates.parquet")));
    assertTrue(Files.exists(run("metrics/client_metrics/round-00001.parquet")));
    assertTrue(Files.exists(run("metrics/round_metrics/round-00001.parquet")));

    RoundManifest m = store.loadManifest(1);
    assertEquals(1, m.round());
    assertEquals(-1, m.parentRound());
    assertEquals("test-run", m.runName());
    assertEquals("sha256:aa", m.inputHashes().get("base_model"));
    assertTrue(m.configYaml().contains("test-run"));
    assertEquals(List.of("adapter.parquet", "client_metrics.parquet", "peft/adapter_config.json",
        "peft/adapter_model.safetensors", "round_metrics.parquet"), List.copyOf(m.files().keySet()));

    List<ClientMetricsRow> clients = store.readClientMetrics(1);
    assertEquals(List.of("a", "b", "c", "d"), clients.stream().map(ClientMetricsRow::clientId).toList());
    assertEquals(List.of("accepted", "accepted", "rejected", "failed"),
        clients.stream().map(ClientMetricsRow::status).toList());
    assertTrue(clients.get(2).reason().contains("example count"), clients.get(2).reason());
    assertTrue(Double.isNaN(clients.get(3).meanLoss()));
    assertNull(clients.get(0).reason());

    store.commit(round(2, false));
    assertEquals(1, store.loadManifest(2).parentRound());
    List<RoundMetricsRow> rounds = store.readRoundMetrics();
    assertEquals(List.of(1, 2), rounds.stream().map(RoundMetricsRow::round).toList());
    assertEquals((10 * 2.0 + 30 * 4.0) / 40, rounds.get(0).trainLoss(), 1e-12);
    assertEquals(2, rounds.get(0).clientsAccepted());
    assertEquals(rounds.get(0).wallMs(), 5000 + rounds.get(0).commitMs());
  }

  @Test
  void secondCommitOfARoundIsANoOpThatChangesNothing() throws IOException {
    CheckpointStore store = open();
    assertTrue(store.commit(round(1, true)));
    Map<String, String> before = snapshot();
    assertFalse(store.commit(round(1, false)));
    assertFalse(open().commit(round(1, true)));
    assertEquals(before, snapshot());
  }

  @Test
  void tempDirsAndRoundsWithoutSuccessAreInvisibleAndRedone() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    // What a crash leaves: a temp dir, a renamed round dir without _SUCCESS, a metrics file of that round.
    Files.createDirectories(run("rounds/_tmp-round-00002-dead"));
    Files.writeString(run("rounds/_tmp-round-00002-dead/adapter.parquet"), "partial");
    Files.createDirectories(run("rounds/round-00002"));
    Files.writeString(run("rounds/round-00002/adapter.parquet"), "partial");
    Files.writeString(run("metrics/round_metrics/round-00002.parquet"), "partial");
    assertEquals(OptionalInt.of(1), store.lastCommittedRound());

    CheckpointStore reopened = open();
    assertFalse(Files.exists(run("rounds/_tmp-round-00002-dead")));
    assertFalse(Files.exists(run("rounds/round-00002")));
    assertFalse(Files.exists(run("metrics/round_metrics/round-00002.parquet")));
    assertTrue(reopened.commit(round(2, false)));
    assertEquals(round(2, false).global(), reopened.loadAdapter(2));
    assertEquals(OptionalInt.of(2), reopened.lastCommittedRound());
  }

  @Test
  void crashBetweenRenameAndSuccessIsRedone() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    store.commit(round(2, false));
    Files.delete(run("rounds/round-00002/_SUCCESS"));
    assertEquals(OptionalInt.of(1), store.lastCommittedRound());
    assertThrows(IllegalArgumentException.class, () -> store.loadAdapter(2));
    assertTrue(store.commit(round(2, false))); // redo without reopening replaces the partial dir
    assertEquals(OptionalInt.of(2), store.lastCommittedRound());
    store.verify(2);
  }

  @Test
  void crashWhileWritingLeavesNothingVisible() throws IOException {
    PeftExport failing = new PeftExport((out, tensors, meta) -> {
      throw new IOException("disk full (simulated)");
    });
    CheckpointStore crashing = new CheckpointStore(run("").toString(), conf, failing);
    assertThrows(IOException.class, () -> crashing.commit(round(1, false)));
    assertEquals(OptionalInt.empty(), crashing.lastCommittedRound());
    try (Stream<Path> s = Files.list(run("rounds"))) {
      assertTrue(s.allMatch(p -> p.getFileName().toString().startsWith("_tmp-")));
    }
    CheckpointStore store = open();
    try (Stream<Path> s = Files.list(run("rounds"))) {
      assertEquals(0, s.count());
    }
    assertTrue(store.commit(round(1, false)));
  }

  @Test
  void corruptAdapterIsReportedByName() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    Path file = run("rounds/round-00001/adapter.parquet");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    // With the local filesystem's .crc beside it, and without (as on stores that keep none).
    IOException e1 = assertThrows(CheckpointCorruptException.class, () -> store.loadAdapter(1));
    assertTrue(e1.getMessage().contains("adapter.parquet"), e1.getMessage());
    Files.deleteIfExists(run("rounds/round-00001/.adapter.parquet.crc"));
    IOException e2 = assertThrows(CheckpointCorruptException.class, () -> store.loadAdapter(1));
    assertTrue(e2.getMessage().contains("adapter.parquet") && e2.getMessage().contains("sha256"), e2.getMessage());
  }

  @Test
  void tamperedManifestIsReportedByName() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    Path manifest = run("rounds/round-00001/manifest.json");
    Files.deleteIfExists(run("rounds/round-00001/.manifest.json.crc"));
    Files.writeString(manifest, Files.readString(manifest).replace("test-run", "test-ruN"));
    IOException e = assertThrows(CheckpointCorruptException.class, () -> store.loadAdapter(1));
    assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
  }

  @Test
  void strategyStateRoundTrips() throws IOException {
    RoundCheckpoint base = round(1, false);
    RoundCheckpoint cp = base.toBuilder().strategy("fedadam").strategyState(Map.of("m", adapter(5), "v", adapter(6)))
        .build();
    CheckpointStore store = open();
    store.commit(cp);
    assertEquals(Map.of("m", adapter(5), "v", adapter(6)), store.loadStrategyState(1));
  }

  @Test
  void readersChangeNothingAndCannotCommit() throws IOException {
    assertThrows(IOException.class, () -> CheckpointStore.forReading(run("").toString(), conf));
    open().commit(round(1, false));
    Files.createDirectories(run("rounds/_tmp-round-00002-inflight")); // a writer's commit in progress
    CheckpointStore reader = CheckpointStore.forReading(run("").toString(), conf);
    assertEquals(round(1, false).global(), reader.loadAdapter(1));
    assertTrue(Files.exists(run("rounds/_tmp-round-00002-inflight")));
    assertThrows(IllegalStateException.class, () -> reader.commit(round(2, false)));
  }

  @Test
  void roundsAreCommittedOnlyInOrderWithoutGaps() throws IOException {
    CheckpointStore store = open();
    store.commit(round(1, false));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.commit(round(3, false)));
    assertTrue(e.getMessage().contains("last committed round") && e.getMessage().contains(" is 1"), e.getMessage());
    assertEquals(List.of(1), store.committedRounds());
    assertTrue(store.commit(round(2, false)));
  }

  /** Relative path → size, mtime and content hash of every file under the run directory. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(run(""))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(run("").relativize(p).toString(),
            Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
                + Checksums.of(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
