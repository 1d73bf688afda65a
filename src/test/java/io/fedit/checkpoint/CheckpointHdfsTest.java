package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.round;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.testing.MiniHdfs;
import java.io.IOException;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same store on a real (in-process) HDFS: one NameNode + DataNode for the whole class (~8 s). */
@Tag("slow") // HDFS minicluster; jobs/test --fast leaves it out
class CheckpointHdfsTest {
  private static MiniHdfs hdfs;
  private static Configuration conf;

  @BeforeAll
  static void startHdfs() throws IOException {
    hdfs = new MiniHdfs();
    conf = hdfs.conf();
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (hdfs != null) hdfs.close();
  }

  private String runDir(String name) {
    return hdfs.uri() + "/fedit/runs/" + name;
  }

  @Test
  void commitResumeAndReloadOnHdfs() throws IOException {
    String dir = runDir("hdfs-roundtrip");
    assertTrue(dir.startsWith("hdfs://"), dir);
    CheckpointStore store = new CheckpointStore(dir, conf);
    assertTrue(store.commit(round(1, true)));
    assertTrue(store.commit(round(2, false)));
    assertFalse(store.commit(round(2, false)));

    CheckpointStore resumed = new CheckpointStore(dir, conf);
    assertEquals(OptionalInt.of(2), resumed.lastCommittedRound());
    assertEquals(round(2, false).global(), resumed.loadAdapter(2));
    assertEquals(round(1, true).clientUpdates(), resumed.loadClientUpdates(1));
    assertEquals(2, resumed.readRoundMetrics().size());
    resumed.verify(1);
  }

  @Test
  void partialRoundOnHdfsIsInvisibleAndRedone() throws IOException {
    String dir = runDir("hdfs-crash");
    CheckpointStore store = new CheckpointStore(dir, conf);
    store.commit(round(1, false));
    store.commit(round(2, false));
    FileSystem fs = hdfs.fs();
    assertTrue(fs.delete(new Path(dir + "/rounds/round-00002/_SUCCESS"), false));
    fs.mkdirs(new Path(dir + "/rounds/_tmp-round-00003-dead"));

    CheckpointStore reopened = new CheckpointStore(dir, conf);
    assertEquals(OptionalInt.of(1), reopened.lastCommittedRound());
    assertFalse(fs.exists(new Path(dir + "/rounds/round-00002")));
    assertFalse(fs.exists(new Path(dir + "/rounds/_tmp-round-00003-dead")));
    assertFalse(fs.exists(new Path(dir + "/metrics/client_metrics/round-00002.parquet")));
    assertTrue(reopened.commit(round(2, false)));
    assertEquals(round(2, false).global(), reopened.loadAdapter(2));
  }

  @Test
  void corruptFileOnHdfsIsReportedByName() throws IOException {
    String dir = runDir("hdfs-corrupt");
    CheckpointStore store = new CheckpointStore(dir, conf);
    store.commit(round(1, false));
    FileSystem fs = hdfs.fs();
    Path file = new Path(dir + "/rounds/round-00001/adapter.parquet");
    byte[] bytes;
    try (var in = fs.open(file)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    try (var out = fs.create(file, true)) {
      out.write(bytes);
    }
    IOException e = assertThrows(CheckpointCorruptException.class, () -> store.loadAdapter(1));
    assertTrue(e.getMessage().contains("adapter.parquet"), e.getMessage());
  }
}
