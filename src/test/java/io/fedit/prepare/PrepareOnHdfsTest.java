package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.MiniHdfs;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data, model files and output all on a real (in-process) HDFS. */
@Tag("slow") // HDFS minicluster; jobs/test --fast leaves it out
class PrepareOnHdfsTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void start() throws Exception {
    hdfs = new MiniHdfs();
  }

  @AfterAll
  static void stop() throws Exception {
    if (hdfs != null) hdfs.close();
  }

  @Test
  void preparesFromHdfsIntoHdfs(@TempDir Path tmp) throws Exception {
    Path sample = tmp.resolve("sample.jsonl");
    Files.write(sample, Files.readAllLines(TestPaths.dollyTrain()).subList(0, 600));
    String data = hdfs.put(sample, "/in/dolly/sample.jsonl");
    // prepare needs the tokenizer and the model's config (for its BOS and EOS ids), not the weights.
    hdfs.put(TestPaths.tinyModel().resolve("tokenizer.json"), "/models/tiny/tokenizer.json");
    hdfs.put(TestPaths.tinyModel().resolve("config.json"), "/models/tiny/config.json");

    RunConfig cfg = ConfigLoader.load(null, List.of(
        "data.path=" + data.substring(0, data.lastIndexOf('/')),
        "model.path=" + hdfs.uri() + "/models/tiny",
        "output.dir=" + hdfs.uri() + "/runs",
        "partition.method=iid", "partition.num_clients=4"));
    SparkSession spark = LocalSpark.get();
    PrepareSummary s = PrepareJob.run(spark, cfg);
    assertEquals(600, s.records());
    assertTrue(PrepareJob.dataDir(cfg).startsWith("hdfs://"));
    assertEquals(600, spark.read().parquet(PrepareJob.dataDir(cfg) + "/clients").count());
    assertEquals(4, spark.read().parquet(PrepareJob.dataDir(cfg) + "/client_stats").count());
    assertTrue(hdfs.fs().exists(new org.apache.hadoop.fs.Path("/runs/dolly-fedit/data/summary.json")));
    assertTrue(s.tokens() > 600 * 20, "tokens counted with the tokenizer read from HDFS: " + s.tokens());

    // Data locality (issue 11 §1): each client's task prefers the DataNode holding its blocks.
    var dirs = ClientTable.directories(PrepareJob.dataDir(cfg), hdfs.conf());
    assertEquals(4, dirs.size());
    for (String clientDir : dirs.values()) {
      assertEquals(hdfs.datanodeHosts(), ClientTable.preferredHosts(clientDir, hdfs.conf()), clientDir);
    }

    // The fingerprint hashes content (HDFS: its own file checksum): a same-size rewrite is a change.
    String before = InputFingerprint.of(cfg, hdfs.conf());
    byte[] bytes = Files.readAllBytes(sample);
    bytes[bytes.length / 2] = (byte) (bytes[bytes.length / 2] == 'a' ? 'b' : 'a');
    Files.write(sample, bytes);
    hdfs.fs().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(sample.toUri()),
        new org.apache.hadoop.fs.Path("/in/dolly/sample.jsonl"));
    assertTrue(hdfs.fs().getFileChecksum(new org.apache.hadoop.fs.Path("/in/dolly/sample.jsonl")) != null);
    assertNotEquals(before, InputFingerprint.of(cfg, hdfs.conf()));
  }
}
