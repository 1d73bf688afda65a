package io.fedit.job;

import io.fedit.config.ConfigException;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.report.RunReport;
import io.fedit.spark.SparkSessions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code fedit report}: (re)write the run directory's report.html from the tables it holds now; a run that does
 * not exist is refused (exit 2) and nothing is created.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write <output.dir>/<run.name>/report.html: one self-contained page (no network needed) with "
        + "held-out loss per round, per-category losses, client loss spread, client sizes and mix, round phases "
        + "and the best round. Sections whose table does not exist yet say so.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    SparkSession spark = SparkSessions.getOrCreate("fedit report " + cfg.run().name());
    try {
      requireRun(cfg, spark.sparkContext().hadoopConfiguration());
      String path = RunReport.write(spark, cfg.run().name(), cfg.runDir(), cfg.eval().split());
      System.out.println("report: " + HadoopPaths.display(path));
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }

  /**
   * A report is of a run that exists: a mistyped run.name or output.dir is refused (exit 2) before anything is
   * written, instead of creating an empty run directory that holds only a report of nothing.
   */
  static void requireRun(RunConfig cfg, Configuration conf) throws IOException {
    Path runDir = new Path(cfg.runDir());
    if (!runDir.getFileSystem(conf).isDirectory(runDir)) {
      throw new ConfigException("no run " + cfg.run().name() + " at " + HadoopPaths.display(cfg.runDir())
          + ": check run.name and output.dir (report writes nothing for a run that does not exist)");
    }
  }
}
