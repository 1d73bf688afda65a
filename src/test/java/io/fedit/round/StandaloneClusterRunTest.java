package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.testing.StandaloneCluster;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train command submitted with spark-submit to a real standalone master + worker on loopback: the
 * driver, the master, the worker and two executors are five separate JVMs.
 */
class StandaloneClusterRunTest {
  @TempDir Path dir;

  @Test
  void trainRunsOnSeparateExecutorJvmsAndCommitsEveryRound() throws Exception {
    Path data = SmallRun.sampleData(dir);
    Path runs = dir.resolve("runs");
    try (StandaloneCluster cluster = new StandaloneCluster(2, "5g")) {
      Path log = dir.resolve("driver.log");
      Process p = cluster.submit(log, List.of("spark.executor.cores=1", "spark.task.cpus=1", "spark.executor.memory=1500m",
              "spark.cores.max=2"),
          "io.fedit.job.FeditCli", "train", "--rounds", "2",
          "--set", "data.path=" + data, "--set", "output.dir=" + runs, "--set", "model.path=" + TestPaths.tinyModel(),
          "--set", "partition.num_clients=10", "--set", "partition.min_records_per_client=20",
          "--set", "federation.client_fraction=0.3", "--set", "data.cutoff_len=64", "--set", "train.batch_size=4",
          "--set", "train.micro_batch_size=2", "--set", "train.max_steps=3", "--set", "train.threads=1");
      boolean done = p.waitFor(5, TimeUnit.MINUTES);
      if (!done) p.destroyForcibly();
      String out = Files.readString(log);
      assertTrue(done && p.exitValue() == 0, "spark-submit failed:\n" + out + "\n" + cluster.executorLogs());
      assertTrue(out.contains("round 1/2:") && out.contains("round 2/2:"), out);
      assertTrue(cluster.executorsStarted() >= 2, "executors ran in their own JVMs: " + cluster.executorsStarted());
    }
    CheckpointStore store = CheckpointStore.forReading(runs.resolve("dolly-fedit").toString(), new Configuration());
    assertEquals(2, store.lastCommittedRound().getAsInt());
    for (int r = 1; r <= 2; r++) {
      List<ClientMetricsRow> rows = store.readClientMetrics(r);
      assertEquals(3, rows.size());
      assertTrue(rows.stream().allMatch(m -> m.status().equals("accepted")), rows.toString());
    }
  }
}
