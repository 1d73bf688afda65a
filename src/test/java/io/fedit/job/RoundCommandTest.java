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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler-facing contract of the CLI: exit codes of round and train, idempotent rounds. */
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

    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("round", "--round", "1")), "already committed: nothing to do");
    assertEquals(manifest, Files.readString(round1.resolve("manifest.json")), "round 1 unchanged");
    assertFalse(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00002")));

    LocalSpark.get();
    assertEquals(ExitCodes.OK, FeditCli.run(args("train", "--rounds", "2")), "train continues to round 2");
    assertTrue(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00002/_SUCCESS")));

    LocalSpark.get();
    assertEquals(ExitCodes.USAGE, FeditCli.run(args("train", "--rounds", "3", "--set", "lora.r=4")),
        "other LoRA settings cannot continue this run");
    assertEquals(ExitCodes.USAGE, FeditCli.run("train", "--set", "lora.r=0"));
  }
}
