package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.RunConfig;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.MiniHdfs;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data, base model and checkpoints all on a real (in-process) HDFS. */
@Tag("slow") // HDFS minicluster and full rounds; jobs/test --fast leaves it out
class HdfsRunTest {
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
  void roundsReadAndCommitOnHdfsAndResumeThere(@TempDir Path dir) throws Exception {
    String data = hdfs.put(SmallRun.sampleData(dir), "/in/dolly.jsonl");
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      hdfs.put(TestPaths.tinyModel().resolve(f), "/models/tiny/" + f);
    }
    RunConfig cfg = SmallRun.config(data, hdfs.uri() + "/runs", "federation.rounds=2",
        "model.path=" + hdfs.uri() + "/models/tiny");
    SparkSession spark = LocalSpark.get();
    PrepareJob.run(spark, cfg);
    var conf = spark.sparkContext().hadoopConfiguration();
    RoundDriver driver = new RoundDriver(spark, cfg, new CheckpointStore(cfg.runDir(), conf, PeftExport.standard()));
    assertEquals(2, driver.runUntil(2, r -> { }).size());

    assertTrue(hdfs.fs().exists(new org.apache.hadoop.fs.Path("/runs/dolly-fedit/rounds/round-00002/_SUCCESS")));
    assertTrue(hdfs.fs().exists(new org.apache.hadoop.fs.Path("/runs/dolly-fedit/rounds/round-00002/peft/adapter_model.safetensors")));
    assertEquals(2, spark.read().parquet(driver.store().roundMetricsTable()).count());

    // A second driver on the same HDFS run finds both rounds committed and has nothing to do.
    RoundDriver again = new RoundDriver(spark, cfg, new CheckpointStore(cfg.runDir(), conf, PeftExport.standard()));
    assertEquals(2, again.committedRounds());
    assertTrue(again.runUntil(2, r -> { }).isEmpty());
    assertEquals(driver.store().loadAdapter(2), again.store().loadAdapter(2));
    assertTrue(Files.exists(dir));
  }
}
