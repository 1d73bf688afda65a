package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.eval.BestRound;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.experiment.Experiment;
import io.fedit.fs.HadoopPaths;
import io.fedit.fs.QualifiedPaths;
import io.fedit.fs.WriterLock;
import io.fedit.layout.RunLayout;
import io.fedit.model.Compute;
import io.fedit.model.LlamaConfig;
import io.fedit.model.MemoryEstimate;
import io.fedit.model.ModelWeights;
import io.fedit.prepare.PrepareJob;
import io.fedit.prepare.PrepareSummary;
import io.fedit.report.RunReport;
import io.fedit.round.RoundDriver;
import io.fedit.round.RoundReport;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What train and round share: log the configuration, prepare the data (or reuse it), open the run. */
final class RunSetup {
  private static final Logger LOG = LoggerFactory.getLogger(RunSetup.class);

  private RunSetup() {}

  /**
   * Takes the run's one-writer lock ({@link RunLayout#writerLock}) before anything of the run is written; a
   * second writer gets {@link io.fedit.fs.WriterLockHeldException} (exit {@link ExitCodes#LOCKED}) naming the
   * owner. Close it when the command ends, failed or not.
   */
  static WriterLock lockRun(SparkSession spark, RunConfig given) throws IOException {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunConfig cfg = QualifiedPaths.of(given, conf);
    WriterLock lock = WriterLock.acquire(RunLayout.of(cfg.runDir()).writerLock(), conf);
    LOG.info("holding the run lock {} ({})", lock.file(), lock.owner());
    return lock;
  }

  static RoundDriver open(SparkSession spark, RunConfig given, PrintStream out) throws IOException {
    RunConfig cfg = QualifiedPaths.of(given, spark.sparkContext().hadoopConfiguration());
    LOG.info("configuration:\n{}", ConfigLoader.toYaml(cfg));
    // Cheap checks first: a broken model or damaged run is bad input (exit 3) before any Spark work.
    BaseModelCheck.verify(cfg.model().path(), spark.sparkContext().hadoopConfiguration());
    GpuRequest.requireSchedulable(cfg.model(), spark.sparkContext().getConf());
    CheckpointStore store = new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(),
        PeftExport.standard());
    LlamaConfig model = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(cfg.model().path()),
        spark.sparkContext().hadoopConfiguration());
    if (cfg.data().cutoffLen() > model.maxSequence()) {
      throw new IllegalArgumentException("data.cutoff_len " + cfg.data().cutoffLen() + " is longer than the " + model.modelType()
          + " model at " + cfg.model().path() + " can attend to (" + (model.maxSequence() < model.maxPositions()
          ? "sliding_window " + model.slidingWindow() + ", sliding-window attention is not implemented"
          : "max_position_embeddings " + model.maxPositions()) + "); set data.cutoff_len <= " + model.maxSequence());
    }
    PrepareSummary summary = PrepareJob.run(spark, cfg);
    out.println(summary.describe());
    out.println(MemoryEstimate.of(model, Compute.dtype(cfg.model().dtype()), cfg.lora(), cfg.train().microBatchSize(),
        cfg.data().cutoffLen()).describe());
    RoundDriver driver = new RoundDriver(spark, cfg, store);
    if (driver.clientsPerRound() > driver.taskSlots()) {
      out.println("note: " + driver.clientsPerRound() + " clients per round on " + driver.taskSlots()
          + " task slots: clients train in waves, and a round's overhead (wall time minus the slowest client's"
          + " training) includes the wait");
    }
    driver.evaluateBaseIfNeeded().ifPresent(e -> out.println("round 0 (base model): " + RoundReport.heldOut(e)));
    return driver;
  }

  /**
   * The held-out loss curve's best round ({@link BestRound}: by response loss on eval.split, the split the curve
   * holds), or nothing when none was evaluated.
   */
  static void printBestRound(RunConfig cfg, RoundDriver driver, PrintStream out) {
    List<EvalMetricsRow> curve = driver.heldOutCurve();
    BestRound.of(curve, cfg.eval().split())
        .ifPresent(best -> out.println(String.format(Locale.ROOT,
            "best round: %d by held-out %s response loss %.4f (base model %s; %d rounds evaluated)", best.round(),
            best.split(), best.responseLoss(), curve.stream().filter(e -> e.round() == 0).findFirst()
                .map(e -> String.format(Locale.ROOT, "%.4f", e.responseLoss())).orElse("not evaluated"),
            curve.stream().filter(e -> e.round() > 0).count())));
  }

  static void printWhereResultsAre(RoundDriver driver, PrintStream out) {
    out.println("checkpoints: " + HadoopPaths.display(driver.store().roundDir(1).getParent().toString())
        + "/round-NNNNN (" + RunLayout.ADAPTER_FILE + ", " + RunLayout.PEFT_DIR + "/, " + RunLayout.MANIFEST_FILE + ")");
    out.println("metrics:     " + HadoopPaths.display(driver.store().roundMetricsTable()) + " and "
        + HadoopPaths.display(driver.store().clientMetricsTable()) + " (Parquet tables)");
    out.println("eval:        " + HadoopPaths.display(driver.store().evalMetricsTable()) + " and "
        + HadoopPaths.display(driver.store().evalGenerationsTable()) + " (Parquet tables)");
  }

  /**
   * Writes report.html of each seed's FedIT run of an experiment, with that seed's arms as baselines; a
   * report that cannot be written is a warning, never a failed experiment.
   */
  static void writeExperimentReports(SparkSession spark, RunConfig cfg, List<Long> seeds, PrintStream out) {
    for (long seed : seeds) {
      String runDir = Experiment.feditRunDir(cfg, seed);
      try {
        out.println("report:      " + HadoopPaths.display(RunReport.write(spark, new org.apache.hadoop.fs.Path(runDir).getName(),
            runDir, cfg.eval().split(), Experiment.resultsDir(cfg), seed)));
      } catch (Exception e) {
        LOG.warn("could not write the report of {}", runDir, e);
        out.println("report:      not written for seed " + seed + " (" + e.getMessage() + ")");
      }
    }
  }

  /** Writes report.html; a report that cannot be written is a warning, never a failed run. */
  static void writeReport(SparkSession spark, RunConfig cfg, PrintStream out) {
    try {
      out.println("report:      " + HadoopPaths.display(RunReport.write(spark, cfg.run().name(), cfg.runDir(), cfg.eval().split())));
    } catch (Exception e) {
      LOG.warn("could not write the run report", e);
      out.println("report:      not written (" + e.getMessage() + "); `fedit report` retries");
    }
  }
}
