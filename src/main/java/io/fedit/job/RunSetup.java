package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.prepare.PrepareJob;
import io.fedit.prepare.PrepareSummary;
import io.fedit.round.RoundDriver;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What train and round share: log the configuration, prepare the data (or reuse it), open the run. */
final class RunSetup {
  private static final Logger LOG = LoggerFactory.getLogger(RunSetup.class);

  private RunSetup() {}

  static RoundDriver open(SparkSession spark, RunConfig cfg, PrintStream out) throws IOException {
    LOG.info("configuration:\n{}", ConfigLoader.toYaml(cfg));
    PrepareSummary summary = PrepareJob.run(spark, cfg);
    out.println(summary.describe());
    CheckpointStore store = new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(),
        PeftExport.standard());
    return new RoundDriver(spark, cfg, store);
  }

  static void printWhereResultsAre(RoundDriver driver, PrintStream out) {
    out.println("checkpoints: " + driver.store().roundDir(Math.max(driver.committedRounds(), 1)).getParent()
        + "/round-NNNNN (adapter.parquet, peft/, manifest.json)");
    out.println("metrics:     " + driver.store().roundMetricsTable() + " and " + driver.store().clientMetricsTable()
        + " (Parquet tables)");
  }
}
