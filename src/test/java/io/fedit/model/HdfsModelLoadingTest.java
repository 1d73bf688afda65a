package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.testing.MiniHdfs;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model directory on a real in-process HDFS (NameNode + DataNode, ~8 s): weights, sharded weights, tokenizer. */
@Tag("slow") // HDFS minicluster; jobs/test --fast leaves it out
class HdfsModelLoadingTest {
  @TempDir static Path local;
  private static MiniHdfs hdfs;
  static Configuration conf;

  @BeforeAll
  static void start() throws Exception {
    hdfs = new MiniHdfs();
    conf = hdfs.conf();
  }

  @AfterAll
  static void stop() throws IOException {
    if (hdfs != null) hdfs.close();
  }

  @Test
  void singleAndShardedCheckpointsAndTokenizerLoadFromHdfs() throws Exception {
    ModelWeights original = ModelWeights.load(TinyModel.dir());
    FileSystem fs = hdfs.fs();
    org.apache.hadoop.fs.Path single = new org.apache.hadoop.fs.Path(hdfs.uri() + "/models/tiny");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TinyModel.dir().toUri()), single);
    org.apache.hadoop.fs.Path sharded = new org.apache.hadoop.fs.Path(hdfs.uri() + "/models/sharded");
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
