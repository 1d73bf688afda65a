package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.round;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.lora.PeftAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 §5 items 1, 8, 9: damaged or hand-edited runs, and byte-reproducible commits. */
class CommittedRunDamageTest {
  @TempDir Path dir;
  private final Configuration conf = new Configuration();

  private CheckpointStore open(String name) throws IOException {
    return new CheckpointStore(dir.resolve(name).toString(), conf);
  }

  @Test
  void aGapInTheCommittedRoundsIsRefusedAndNothingIsDeleted() throws IOException {
    CheckpointStore store = open("run");
    for (int r = 1; r <= 3; r++) store.commit(round(r, false));
    Path round2 = dir.resolve("run/rounds/round-00002");
    Files.delete(round2.resolve("_SUCCESS"));
    List<Path> before = listing(dir.resolve("run"));

    CheckpointCorruptException e = assertThrows(CheckpointCorruptException.class, () -> open("run"));
    assertTrue(e.getMessage().startsWith("round 2 of ") && e.getMessage().contains("round 3 is")
        && e.getMessage().contains("round-00002/_SUCCESS"), e.getMessage());
    assertEquals(before, listing(dir.resolve("run")), "round 2's files and metrics rows are kept");
    assertTrue(Files.exists(round2.resolve("adapter.parquet")));
    assertTrue(Files.exists(dir.resolve("run/metrics/round_metrics/round-00002.parquet")));
  }

  @Test
  void peftExportHasNoChecksumSidecarsAndLoadsAfterHandEditing() throws IOException {
    CheckpointStore store = open("run");
    store.commit(round(1, false));
    Path peft = dir.resolve("run/rounds/round-00001/peft");
    try (Stream<Path> files = Files.list(peft)) {
      assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    // What people do: reformat the config (here: one more key, as newer PEFT versions write).
    Path cfg = peft.resolve("adapter_config.json");
    Files.writeString(cfg, Files.readString(cfg).replaceFirst("\\{", "{\n  \"inference_mode\": true,"));
    PeftAdapter read = PeftAdapter.read(new org.apache.hadoop.fs.Path(peft.toUri()), conf);
    assertEquals(round(1, false).global(), read.weights());
  }

  @Test
  void identicalCommitsAreIdenticalBytesAlsoAcrossProcesses() throws Exception {
    open("a").commit(round(1, true));
    // The same commit made by another JVM (another heap size, so any heap-dependent writer sizing shows).
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CommitProbe.class.getName(), dir.resolve("b").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    for (String f : List.of("adapter.parquet", "client_updates.parquet", "client_metrics.parquet",
        "peft/adapter_model.safetensors", "peft/adapter_config.json")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a/rounds/round-00001").resolve(f)),
          Files.readAllBytes(dir.resolve("b/rounds/round-00001").resolve(f)), f);
    }
  }

  private static List<Path> listing(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(root::relativize).sorted().toList();
    }
  }
}
