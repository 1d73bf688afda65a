package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.testing.ByteScan;
import io.fedit.testing.RpcProbe;
import io.fedit.testing.SparkDistribution;
import io.fedit.testing.StandaloneCluster;
import io.fedit.testing.TenantData;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users run, where they run it: the shaded {@code -Pcluster} jar, submitted with
 * {@code jobs/spark-submit-fedit} (FEDIT_SECURE=true) to a standalone master and worker whose SPARK_HOME holds
 * only what a Spark distribution ships ({@link SparkDistribution}), secured with a shared secret, encrypted
 * RPC and encrypted local files. A dependency the jar lacks, clashes with or leaves unshaded fails here.
 *
 * <p>The same run checks privacy: a canary string planted in one client's records appears nowhere the run
 * writes except the prepared client table (checkpoints, metrics, driver and executor logs, the Spark event
 * log; every file's bytes, Parquet included: snappy keeps a string's first occurrence literal), and no
 * secret appears in any file: the cluster's, a Hadoop credential, the judge's API key from the environment.
 * A client without the secret is refused.
 */
@Tag("slow")
class ShadedJarSecuredClusterTest {
  @TempDir Path dir;

  @Test
  void theShadedJarTrainsOnASecuredDistributionOnlyClusterAndLeaksNoCanaryOrSecret() throws Exception {
    String secret = "cluster-secret-" + UUID.randomUUID();
    String s3Secret = "s3a-secret-" + UUID.randomUUID();
    String canary = "CANARY-" + UUID.randomUUID();
    String judgeKey = "judge-key-" + UUID.randomUUID();
    Path jar = SparkDistribution.clusterJar();
    Path home = SparkDistribution.home();
    List<String> security = List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + secret,
        "-Dspark.network.crypto.enabled=true");
    try (StandaloneCluster cluster = new StandaloneCluster(home, 2, "4g", security)) {
      assertFalse(RpcProbe.masterAnswers(cluster.masterPort(), null), "a client without the secret is refused");
      assertFalse(RpcProbe.masterAnswers(cluster.masterPort(), "wrong-" + secret), "a wrong secret is refused");
      assertTrue(RpcProbe.masterAnswers(cluster.masterPort(), secret), "the secret opens the cluster (control)");

      Path data = TenantData.write(dir.resolve("tenants.jsonl"), 8, List.of("alpha", "beta", "gamma"), "beta", canary);
      // Evaluation of other data (held-out records without the canary) writes answers: they must not leak it.
      Path evalData = Files.write(dir.resolve("eval.jsonl"), Files.readAllLines(TestPaths.dollyTest()).subList(0, 4));
      Path runs = dir.resolve("runs");
      Path events = Files.createDirectories(dir.resolve("events"));
      Path props = dir.resolve("secure.properties");
      Files.write(props, List.of("spark.authenticate.secret " + secret,
          "spark.hadoop.fs.s3a.secret.key " + s3Secret,
          "spark.eventLog.enabled true", "spark.eventLog.dir " + events.toUri(),
          "spark.driver.host 127.0.0.1", "spark.driver.memory 1500m", "spark.executor.memory 1200m",
          "spark.executor.cores 1", "spark.cores.max 2", "spark.ui.enabled false"));
      Files.setPosixFilePermissions(props, PosixFilePermissions.fromString("rw-------"));

      List<String> cmd = new ArrayList<>(List.of(TestPaths.root().resolve("jobs/spark-submit-fedit").toString(),
          "--master", cluster.masterUrl(), "--properties-file", props.toString(), "--",
          "train", "--rounds", "2"));
      for (String s : new String[] {"data.path=" + data, "output.dir=" + runs, "model.path=" + TestPaths.tinyModel(),
          "partition.method=column", "data.client_key_column=tenant", "federation.client_fraction=1.0",
          "data.cutoff_len=32", "train.batch_size=2", "train.micro_batch_size=2", "train.max_steps=1",
          "train.threads=1", "eval.path=" + evalData, "eval.max_new_tokens=4", "eval.vicuna_path="}) {
        cmd.add("--set");
        cmd.add(s);
      }
      Path log = dir.resolve("driver.log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("SPARK_HOME", home.toString());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("FEDIT_SECURE", "true");
      pb.environment().put("FEDIT_JUDGE_API_KEY", judgeKey); // judge.api_key_env names it; train must not write it
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      pb.environment().put("DJL_OFFLINE", "true");
      Process p = pb.start();
      boolean done = p.waitFor(6, TimeUnit.MINUTES);
      if (!done) p.destroyForcibly();
      String out = Files.readString(log);
      assertTrue(done && p.exitValue() == 0, "spark-submit of " + jar.getFileName() + " failed:\n" + out + "\n"
          + cluster.executorLogs());
      assertTrue(out.contains("round 2/2:"), out);

      Path run = runs.resolve("dolly-fedit");
      CheckpointStore store = CheckpointStore.forReading(run.toString(), new Configuration());
      assertEquals(List.of(1, 2), store.committedRounds());
      List<ClientMetricsRow> rows = store.readClientMetrics(2);
      assertEquals(3, rows.size());
      assertTrue(rows.stream().allMatch(r -> r.status().equals("accepted")), rows.toString());
      assertTrue(Files.isDirectory(run.resolve("metrics/eval_generations")), "answers for the held-out data were written");
      assertTrue(cluster.executorsStarted() >= 1, "executors ran in their own JVMs");
      try (Stream<Path> ev = Files.list(events)) {
        assertTrue(ev.findAny().isPresent(), "the Spark event log was written");
      }

      // Control: the scan finds the canary where it belongs (the prepared table of client beta).
      Path clients = run.resolve("data/clients");
      assertFalse(ByteScan.filesContaining(clients.resolve("client_id=beta"), canary).isEmpty(),
          "the canary is in beta's prepared rows (the scan can see it)");
      List<Path> written = new ArrayList<>(filesOutside(run, clients));
      written.add(log);
      written.addAll(files(events));
      written.addAll(files(home.resolve("work"))); // executor stdout/stderr
      written.removeIf(f -> f.toString().endsWith(".jar")); // the application jar the worker fetched: an input
      List<Path> canaryHits = new ArrayList<>();
      List<Path> secretHits = new ArrayList<>();
      for (Path f : written) {
        byte[] bytes = Files.readAllBytes(f);
        if (ByteScan.contains(bytes, canary.getBytes(java.nio.charset.StandardCharsets.UTF_8))) canaryHits.add(f);
        for (String s : List.of(secret, s3Secret, judgeKey)) {
          if (ByteScan.contains(bytes, s.getBytes(java.nio.charset.StandardCharsets.UTF_8))) secretHits.add(f);
        }
      }
      assertTrue(written.size() > 20, "scanned " + written);
      assertEquals(List.of(), canaryHits, "files outside the client table that hold client beta's text");
      assertEquals(List.of(), secretHits, "files that hold a secret");
      assertEquals(List.of(), ByteScan.filesContaining(clients, secret), "no secret in the client table");
    }
  }

  private static List<Path> files(Path root) throws java.io.IOException {
    if (!Files.exists(root)) return List.of();
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static List<Path> filesOutside(Path root, Path excluded) throws java.io.IOException {
    return files(root).stream().filter(f -> !f.startsWith(excluded)).toList();
  }
}
