package io.fedit.job;

import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.report.RunReport;
import io.fedit.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fedit report}: (re)write the run directory's report.html from the tables it holds now. */
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
      String path = RunReport.write(spark, cfg.run().name(), cfg.runDir(), cfg.eval().split());
      System.out.println("report: " + HadoopPaths.display(path));
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
