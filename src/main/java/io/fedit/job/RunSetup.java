package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.prepare.PrepareJob;
import io.fedit.prepare.PrepareSummary;
import io.fedit.report.RunReport;
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
    RoundDriver driver = new RoundDriver(spark, cfg, store);
    if (driver.clientsPerRound() > driver.taskSlots()) {
      out.println("note: " + driver.clientsPerRound() + " clients per round on " + driver.taskSlots()
          + " task slots: clients train in waves, and a round's overhead (wall time minus the slowest client's"
          + " training) includes the wait");
    }
    return driver;
  }

  static void printWhereResultsAre(RoundDriver driver, PrintStream out) {
    out.println("checkpoints: " + HadoopPaths.display(driver.store().roundDir(1).getParent().toString())
        + "/round-NNNNN (adapter.parquet, peft/, manifest.json)");
    out.println("metrics:     " + HadoopPaths.display(driver.store().roundMetricsTable()) + " and "
        + HadoopPaths.display(driver.store().clientMetricsTable()) + " (Parquet tables)");
  }

  /** Writes report.html; a report that cannot be written is a warning, never a failed run. */
  static void writeReport(SparkSession spark, RunConfig cfg, PrintStream out) {
    try {
      out.println("report:      " + HadoopPaths.display(RunReport.write(spark, cfg.run().name(), cfg.runDir())));
    } catch (Exception e) {
      LOG.warn("could not write the run report", e);
      out.println("report:      not written (" + e.getMessage() + "); `fedit report` retries");
    }
  }
}
