package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's exit code 6: the first round would already exceed privacy.target_epsilon, so nothing runs. */
class PrivacyBudgetExitTest {
  @TempDir Path dir;

  @Test
  void aRoundBeyondTheTargetEpsilonExitsWithSixAndCommitsNothing() throws Exception {
    Path data = TestPaths.dollySample(dir, 20);
    String[] sets = {"data.path=" + data, "output.dir=" + dir.resolve("runs"), "model.path=" + TestPaths.tinyModel(),
        "partition.num_clients=4", "partition.min_records_per_client=20", "federation.client_fraction=0.5",
        "data.cutoff_len=48", "train.max_steps=1", "train.threads=1", "privacy.enabled=true",
        "privacy.delta=1.0e-3", "privacy.noise_multiplier=0.5", "privacy.target_epsilon=0.01", "eval.every_rounds=0"};
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--rounds", "1"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    LocalSpark.get(); // the command finds this session (and stops it; the next test makes a new one)
    assertEquals(ExitCodes.BUDGET_EXHAUSTED, FeditCli.run(args.toArray(String[]::new)));
    assertFalse(Files.exists(dir.resolve("runs/dolly-fedit/rounds/round-00001")));
  }
}
