package io.fedit.job;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.fs.WriterLock;
import io.fedit.fs.QualifiedPaths;
import io.fedit.prepare.PrepareJob;
import io.fedit.prepare.PrepareSummary;
import io.fedit.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fedit prepare}: validate the instruction data and write the partitioned client table. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
    description = "Read and validate the instruction data, assign records to clients, write the client "
        + "table and per-client statistics as Parquet under <output.dir>/<run.name>/data.")
public final class PrepareCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareCommand.class);

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    LOG.info("configuration:\n{}", ConfigLoader.toYaml(cfg));
    SparkSession spark = SparkSessions.getOrCreate("fedit prepare " + cfg.run().name());
    try (WriterLock lock = RunSetup.lockRun(spark, cfg)) {
      PrepareSummary summary = PrepareJob.run(spark, QualifiedPaths.of(cfg, spark.sparkContext().hadoopConfiguration()));
      System.out.println(summary.describe());
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
