package io.fedit.round;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small but real federated run for tests: every 10th Dolly training record (1,494 records, all eight
 * categories), 10 Dirichlet clients, 3 sampled per round, the shipped tiny Llama, short sequences and a
 * few optimizer steps per client, so a round takes seconds on two cores.
 */
final class SmallRun {
  private SmallRun() {}

  static Path sampleData(Path dir) throws IOException {
    return TestPaths.dollySample(dir, 10);
  }

  static RunConfig config(String dataPath, String outputDir, String... more) {
    List<String> o = new ArrayList<>(List.of(
        "data.path=" + dataPath,
        "output.dir=" + outputDir,
        "model.path=" + TestPaths.tinyModel(),
        "partition.num_clients=10",
        "partition.min_records_per_client=20",
        "federation.client_fraction=0.3",
        "federation.rounds=3",
        "data.cutoff_len=64",
        "train.batch_size=4",
        "train.micro_batch_size=2",
        "train.max_steps=3",
        "train.learning_rate=1.0e-2",
        "train.threads=1",
        "eval.every_rounds=0")); // evaluation has its own tests (io.fedit.eval, RoundEvaluationTest)
    o.addAll(List.of(more));
    return ConfigLoader.load(null, o);
  }
}
