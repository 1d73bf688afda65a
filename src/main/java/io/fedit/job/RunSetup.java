package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.fs.QualifiedPaths;
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

  static RoundDriver open(SparkSession spark, RunConfig given, PrintStream out) throws IOException {
    RunConfig cfg = QualifiedPaths.of(given, spark.sparkContext().hadoopConfiguration());
    LOG.info("configuration:\n{}", ConfigLoader.toYaml(cfg));
    // Cheap checks first: a broken model or damaged run is bad input (exit 3) before any Spark work.
    BaseModelCheck.verify(cfg.model().path(), spark.sparkContext().hadoopConfiguration());
    CheckpointStore store = new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(),
        PeftExport.standard());
    PrepareSummary summary = PrepareJob.run(spark, cfg);
    out.println(summary.describe());
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
}
