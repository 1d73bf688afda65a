package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler-facing contract of the CLI: exit codes of round and train, idempotent rounds. */
@Tag("slow") // full runs through the CLI; jobs/test --fast leaves it out
class RoundCommandTest {
  @TempDir Path dir;

  private String[] args(String... command) throws Exception {
    Path data = TestPaths.dollySample(dir, 20);
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + data, "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "partition.num_clients=4", "partition.min_records_per_client=20",
        "federation.client_fraction=0.5", "data.cutoff_len=48", "train.batch_size=2", "train.micro_batch_size=2",
        "train.max_steps=2", "train.threads=1", "eval.every_rounds=0"}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  @Test
  void roundIsIdempotentAndRefusesToSkipAhead() throws Exception {
    LocalSpark.get(); // the commands find this session (and stop it; the next test makes a new one)
    assertEquals(ExitCodes.NOT_READY, FeditCli.run(args("round", "--round", "2")), "round 1 is not committed");

    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("round")), "runs round 1");
    Path round1 = dir.resolve("runs/dolly-fedit/rounds/round-00001");
    assertTrue(Files.exists(round1.resolve("_SUCCESS")));
    String manifest = Files.readString(round1.resolve("manifest.json"));
    Path report = dir.resolve("runs/dolly-fedit/report.html");
    assertTrue(Files.exists(report), "a round that ran writes the run's report");
    long reportTime = Files.getLastModifiedTime(report).toMillis();

    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("round", "--round", "1")), "already committed: nothing to do");
    assertEquals(manifest, Files.readString(round1.resolve("manifest.json")), "round 1 unchanged");
    assertFalse(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00002")));
    assertEquals(reportTime, Files.getLastModifiedTime(report).toMillis(), "nothing ran: the report is left as it was");

    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("train", "--rounds", "2")), "train continues to round 2");
    assertTrue(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00002/_SUCCESS")));

    LocalSpark.get();
    assertEquals(ExitCodes.USAGE, FeditCli.run(args("train", "--rounds", "3", "--set", "lora.r=4")),
        "other LoRA settings cannot continue this run");
    assertEquals(ExitCodes.USAGE, FeditCli.run("train", "--set", "lora.r=0"));

    // Issue 11 §5.3: one flipped byte in a committed adapter is caught by the manifest checksum: exit 3, one line.
    Path adapter = dir.resolve("runs/dolly-fedit/rounds/round-00002/adapter.parquet");
    byte[] good = Files.readAllBytes(adapter);
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 1;
    Files.write(adapter, flipped);
    Files.deleteIfExists(adapter.resolveSibling(".adapter.parquet.crc")); // as if damaged below Hadoop
    LocalSpark.get();
    CarelessInputCliTest.cli(args("train", "--rounds", "3"))
        .isOneLine(ExitCodes.BAD_DATA, "round-00002/adapter.parquet is corrupt");
    assertFalse(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00003")), "never trained on");
    Files.write(adapter, good);

    // Issue 11 §5.1: a gap in the committed rounds is refused (exit 3), and round 1 is not deleted.
    Path success1 = round1.resolve("_SUCCESS");
    Files.delete(success1);
    LocalSpark.get();
    CarelessInputCliTest.cli(args("train", "--rounds", "3")).isOneLine(ExitCodes.BAD_DATA, "round 1 of ", "round 2 is");
    assertTrue(Files.exists(round1.resolve("adapter.parquet")), "round 1 is kept");
    assertFalse(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00003")));
  }
}
