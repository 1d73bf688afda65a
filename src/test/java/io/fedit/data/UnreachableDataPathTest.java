package io.fedit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §1: an hdfs:// data path whose NameNode cannot be reached fails prepare within the documented bound
 * with one line, not a stack trace after Hadoop's default 15 minutes of retries.
 */
class UnreachableDataPathTest {
  @TempDir Path dir;

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private RunConfig config(String data) {
    return Configs.forTest(dir.resolve("runs"), "data.path=" + data);
  }

  @Test
  void aClosedNameNodePortFailsWithinSecondsWithOneLine() throws Exception {
    String data = "hdfs://127.0.0.1:" + closedPort() + "/data/dolly";
    RunConfig cfg = config(data);
    SparkSession spark = LocalSpark.get();
    long start = System.nanoTime();
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, cfg));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 15, "gave up after " + seconds + " s");
    assertTrue(e.getMessage().startsWith(data + ": its file system did not answer ("), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused")
        && e.getMessage().endsWith("check the address and that the NameNode is up"), e.getMessage());
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("For more details"), e.getMessage());
  }

  @Test
  void anUnknownHostIsOneLine() {
    String data = "hdfs://namenode.invalid:8020/data/dolly";
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), config(data)));
    assertTrue(e.getMessage().startsWith(data + ": its file system did not answer ("), e.getMessage());
    assertTrue(e.getMessage().contains("namenode.invalid"), e.getMessage());
  }

  @Test
  void theBoundsApplyOnlyWhereTheUserSetNothing() {
    Configuration conf = new Configuration();
    conf.set("ipc.client.connect.timeout", "60000"); // the user's choice (core-site.xml, spark.hadoop.*)
    Configuration bounded = DataPathClient.bounded(conf);
    assertEquals(60000, bounded.getInt("ipc.client.connect.timeout", 0));
    assertEquals(2, bounded.getInt("ipc.client.connect.max.retries.on.timeouts", 0));
    assertEquals(30000, bounded.getInt("ipc.client.rpc-timeout.ms", 0));
    assertEquals(2, bounded.getInt("dfs.client.failover.max.attempts", 0));
    // The shipped defaults are not user settings; the caller's configuration is not changed.
    assertEquals(45, conf.getInt("ipc.client.connect.max.retries.on.timeouts", 0));
    assertFalse(DataPathClient.userSet(conf, "ipc.client.connect.max.retries.on.timeouts"));
    assertTrue(DataPathClient.userSet(conf, "ipc.client.connect.timeout"));
  }
}
