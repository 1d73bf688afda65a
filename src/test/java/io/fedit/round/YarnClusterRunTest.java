package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.testing.MiniHdfs;
import io.fedit.testing.SparkDistribution;
import io.fedit.testing.StandaloneCluster;
import io.fedit.testing.TestPaths;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code -Pcluster} jar submitted with {@code jobs/spark-submit-fedit --master yarn} to a real
 * YARN (MiniYARNCluster: a ResourceManager and a NodeManager in this JVM; the application master and the
 * executors run as container processes) from a SPARK_HOME with only a Spark distribution's jars; data, base
 * model and checkpoints are on an in-process HDFS.
 */
@Tag("slow")
class YarnClusterRunTest {
  @TempDir Path dir;

  @Test
  void theShadedJarTrainsOnYarnWithEverythingOnHdfs() throws Exception {
    Path home = SparkDistribution.home();
    SparkDistribution.clusterJar();
    try (MiniHdfs hdfs = new MiniHdfs()) {
      YarnConfiguration conf = new YarnConfiguration(hdfs.conf());
      conf.set("yarn.scheduler.capacity.root.queues", "default"); // no capacity-scheduler.xml on the classpath
      conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
      conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
      conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
      conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
      conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
      conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
      MiniYARNCluster yarn = new MiniYARNCluster("fedit-yarn", 1, 1, 1);
      yarn.init(conf);
      yarn.start();
      try {
        Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        Configuration client = new Configuration(yarn.getConfig());
        client.set("fs.defaultFS", hdfs.uri());
        client.unset("net.topology.node.switch.mapping.impl"); // MiniDFSCluster's test-only StaticMapping
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
          client.writeXml(out);
        }
        try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
          client.writeXml(out);
        }
        String data = hdfs.put(TestPaths.dollySample(dir, 50), "/in/dolly.jsonl");
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
          hdfs.put(TestPaths.tinyModel().resolve(f), "/models/tiny/" + f);
        }
        String opens = String.join(" ", StandaloneCluster.jvmOpens());
        List<String> cmd = new ArrayList<>(List.of(TestPaths.root().resolve("jobs/spark-submit-fedit").toString(),
            "--master", "yarn", "--deploy-mode", "client",
            "--conf", "spark.yarn.jars=local:" + home.resolve("jars") + "/*",
            "--conf", "spark.yarn.am.extraJavaOptions=" + opens,
            "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + System.getProperty("java.home"),
            "--conf", "spark.executorEnv.JAVA_HOME=" + System.getProperty("java.home"),
            "--conf", "spark.executor.instances=2", "--conf", "spark.executor.cores=1",
            "--conf", "spark.executor.memory=1g", "--conf", "spark.yarn.am.memory=512m",
            "--conf", "spark.driver.memory=1500m", "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.ui.enabled=false", "--",
            "train", "--rounds", "2"));
        for (String s : new String[] {"data.path=" + data, "output.dir=" + hdfs.uri() + "/runs",
            "model.path=" + hdfs.uri() + "/models/tiny", "partition.num_clients=4",
            "partition.min_records_per_client=20", "federation.client_fraction=0.5", "data.cutoff_len=32",
            "train.batch_size=2", "train.micro_batch_size=2", "train.max_steps=1", "train.threads=1", "eval.every_rounds=0"}) {
          cmd.add("--set");
          cmd.add(s);
        }
        Path log = dir.resolve("driver.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        boolean done = p.waitFor(6, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log);
        assertTrue(done && p.exitValue() == 0, "spark-submit --master yarn failed:\n" + out + "\n" + containerLogs(yarn));
        assertTrue(out.contains("round 2/2:"), out);

        CheckpointStore store = CheckpointStore.forReading(hdfs.uri() + "/runs/dolly-fedit", hdfs.conf());
        assertEquals(List.of(1, 2), store.committedRounds());
        List<ClientMetricsRow> rows = store.readClientMetrics(2);
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.status().equals("accepted")), rows.toString());
      } finally {
        yarn.stop();
      }
    }
  }

  /** The tail of every container's stderr (for failure messages). */
  private static String containerLogs(MiniYARNCluster yarn) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (String root : yarn.getConfig().getStrings(YarnConfiguration.NM_LOG_DIRS, new String[0])) {
      Path r = Path.of(root.replace("file:", ""));
      if (!Files.exists(r)) continue;
      try (Stream<Path> s = Files.walk(r)) {
        for (Path f : s.filter(x -> x.getFileName().toString().equals("stderr")).toList()) {
          String t = Files.readString(f);
          sb.append("== ").append(f).append('\n').append(t, Math.max(0, t.length() - 3000), t.length());
        }
      }
    }
    return sb.toString();
  }
}
