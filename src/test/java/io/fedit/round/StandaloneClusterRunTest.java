package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.testing.AliasFileSystem;
import io.fedit.testing.StandaloneCluster;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train command submitted with spark-submit to a real standalone master + worker on loopback: the
 * driver, the master, the worker and the executors are separate JVMs.
 */
@Tag("slow") // a standalone cluster (separate JVMs); jobs/test --fast leaves it out
class StandaloneClusterRunTest {
  private static StandaloneCluster cluster;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    cluster = new StandaloneCluster(2, "5g");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private Process submit(Path runs, Path log, String... extra) throws Exception {
    return submit(runs, log, List.of(), extra);
  }

  private Process submit(Path runs, Path log, List<String> sparkConf, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "--rounds", "2",
        "--set", "data.path=" + SmallRun.sampleData(dir), "--set", "output.dir=" + runs,
        "--set", "model.path=" + TestPaths.tinyModel(),
        "--set", "partition.num_clients=10", "--set", "partition.min_records_per_client=20",
        "--set", "federation.client_fraction=0.2", "--set", "data.cutoff_len=64", "--set", "train.batch_size=4",
        "--set", "train.micro_batch_size=2", "--set", "train.threads=1", "--set", "eval.every_rounds=0"));
    args.addAll(List.of(extra));
    List<String> conf = new ArrayList<>(List.of("spark.executor.cores=1", "spark.task.cpus=1",
        "spark.executor.memory=1500m", "spark.cores.max=2"));
    conf.addAll(sparkConf);
    return cluster.submit(log, conf, "io.fedit.job.FeditCli", args.toArray(String[]::new));
  }

  private static void assertTwoRoundsOfTwoAcceptedClients(Path runs) throws java.io.IOException {
    CheckpointStore store = CheckpointStore.forReading(runs.resolve("dolly-fedit").toString(), new Configuration());
    assertEquals(2, store.lastCommittedRound().getAsInt());
    for (int r = 1; r <= 2; r++) {
      List<ClientMetricsRow> rows = store.readClientMetrics(r);
      assertEquals(2, rows.size());
      assertTrue(rows.stream().allMatch(m -> m.status().equals("accepted")), rows.toString());
    }
  }

  private static String finish(Process p, Path log) throws Exception {
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) p.destroyForcibly();
    String out = Files.readString(log);
    assertTrue(done && p.exitValue() == 0, "spark-submit failed:\n" + out + "\n" + cluster.executorLogs());
    return out;
  }

  @Test
  void trainRunsOnSeparateExecutorJvmsAndCommitsEveryRound() throws Exception {
    Path runs = dir.resolve("runs");
    Path log = dir.resolve("driver.log");
    String out = finish(submit(runs, log, "--set", "train.max_steps=3"), log);
    assertTrue(out.contains("round 1/2:") && out.contains("round 2/2:"), out);
    assertTrue(cluster.executorsStarted() >= 2, "executors started: " + cluster.executorsStarted());
    assertTwoRoundsOfTwoAcceptedClients(runs);
  }

  @Test
  void anExecutorKilledMidRoundIsReplacedAndItsClientRetrained() throws Exception {
    Path runs = dir.resolve("runs");
    Path log = dir.resolve("driver.log");
    long before = cluster.executorsStarted();
    // Long enough local training (about 15 s a client) to kill an executor while it trains. The victim is
    // an executor whose log says it loaded the base model: it is inside a training task at that moment.
    Process p = submit(runs, log, "--set", "train.max_steps=600");
    Optional<ProcessHandle> victim = Optional.empty();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (victim.isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
      victim = trainingExecutor();
      if (victim.isEmpty()) Thread.sleep(200);
    }
    assertTrue(victim.isPresent(), "no training executor to kill:\n" + Files.readString(log));
    victim.get().destroyForcibly();

    finish(p, log);
    assertTrue(cluster.executorsStarted() > before + 2, "a replacement executor was started");
    CheckpointStore store = CheckpointStore.forReading(runs.resolve("dolly-fedit").toString(), new Configuration());
    assertEquals(2, store.lastCommittedRound().getAsInt());
    List<ClientMetricsRow> round1 = store.readClientMetrics(1);
    assertEquals(2, round1.size());
    assertTrue(round1.stream().allMatch(m -> m.status().equals("accepted")), round1.toString());
    assertTrue(round1.stream().anyMatch(m -> m.attempt() >= 1), "the lost client was trained again: " + round1);
  }

  /**
   * Issue 11 §1: executors run in the worker's directory and build no Hadoop configuration of their own. The
   * model path is relative (resolved on the driver, whose working directory is the project root), and the run
   * directory is on a filesystem scheme that only the job's spark.hadoop.* settings define: a client reading
   * its rows or the base model with a fresh Configuration would fail, and the round would exit 5.
   */
  @Test
  void relativePathsAndTheJobsHadoopSettingsReachTheExecutors() throws Exception {
    cluster.addTestClasses("fedit-test-fs.jar", AliasFileSystem.class);
    Path runs = dir.resolve("runs");
    Path log = dir.resolve("driver.log");
    Path relativeModel = TestPaths.root().relativize(TestPaths.tinyModel());
    String out = finish(submit(runs, log,
        List.of("spark.hadoop.fs." + AliasFileSystem.SCHEME + ".impl=" + AliasFileSystem.class.getName()),
        "--set", "train.max_steps=2", "--set", "model.path=" + relativeModel,
        "--set", "output.dir=" + AliasFileSystem.SCHEME + "://" + runs.toAbsolutePath()), log);
    assertTrue(out.contains("round 2/2:"), out);
    assertTwoRoundsOfTwoAcceptedClients(runs);
    String manifest = Files.readString(runs.resolve("dolly-fedit/rounds/round-00001/manifest.json"));
    assertTrue(manifest.contains("file:" + TestPaths.tinyModel()), "the qualified model path was shipped: " + manifest);
  }

  /** A live executor of this cluster whose log shows it has started training (loaded the base model). */
  private static Optional<ProcessHandle> trainingExecutor() throws java.io.IOException {
    Path work = cluster.home().resolve("work");
    if (!Files.exists(work)) return Optional.empty();
    try (var files = Files.walk(work, 3)) {
      for (Path stderr : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        if (!Files.readString(stderr).contains("loaded base model")) continue;
        String execId = stderr.getParent().getFileName().toString();
        String appId = stderr.getParent().getParent().getFileName().toString();
        Optional<ProcessHandle> ph = executorJvms().stream()
            .filter(h -> h.info().commandLine().map(c -> c.contains("--executor-id " + execId)
                && c.contains("--app-id " + appId)).orElse(false))
            .findFirst();
        if (ph.isPresent()) return ph;
      }
    }
    return Optional.empty();
  }

  /** Live executor JVMs of this cluster (Spark's executor backend with this cluster's SPARK_HOME in its classpath). */
  private static List<ProcessHandle> executorJvms() {
    String home = cluster.home().toString();
    return ProcessHandle.allProcesses()
        .filter(ph -> ph.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend") && c.contains(home))
            .orElse(false))
        .toList();
  }
}
