package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model directory on a real in-process HDFS (NameNode + DataNode, ~8 s): weights, sharded weights, tokenizer. */
class HdfsModelLoadingTest {
  @TempDir static File base;
  @TempDir static Path local;
  static MiniDFSCluster cluster;
  static Configuration conf;

  @BeforeAll
  static void start() throws Exception {
    conf = new Configuration();
    cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
    cluster.waitActive();
    conf = cluster.getConfiguration(0);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.shutdown();
  }

  @Test
  void singleAndShardedCheckpointsAndTokenizerLoadFromHdfs() throws Exception {
    ModelWeights original = ModelWeights.load(TinyModel.dir());
    FileSystem fs = FileSystem.get(cluster.getURI(), conf);
    org.apache.hadoop.fs.Path single = new org.apache.hadoop.fs.Path(cluster.getURI() + "/models/tiny");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TinyModel.dir().toUri()), single);
    org.apache.hadoop.fs.Path sharded = new org.apache.hadoop.fs.Path(cluster.getURI() + "/models/sharded");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(CheckpointCopies.sharded(local.resolve("s"), original, 2).toUri()), sharded);
    for (org.apache.hadoop.fs.Path dir : new org.apache.hadoop.fs.Path[] {single, sharded}) {
      ModelWeights w = ModelWeights.load(dir, conf);
      for (String name : original.tensors().keySet()) {
        assertArrayEquals(original.get(name).values(), w.get(name).values(), dir + " " + name);
      }
      try (Tokenizer tok = Tokenizer.load(dir, conf, w.config())) {
        assertEquals("Once upon a time", tok.decode(tok.encode("Once upon a time", true)));
      }
    }
  }
}
