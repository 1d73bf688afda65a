package io.fedit.job;

import io.fedit.config.RunConfig;
import io.fedit.fs.WriterLock;
import io.fedit.round.RoundDriver;
import io.fedit.round.RoundReport;
import io.fedit.spark.SparkSessions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedit round}: one round, for schedulers. Idempotent: a committed round is never redone. */
@Command(name = "round", mixinStandardHelpOptions = true,
    description = "Run exactly one round and exit (for schedulers such as Airflow). With --round R: run R if "
        + "it is the next round, do nothing if R is already committed (exit 0), refuse if R-1 is not (exit 4).")
public final class RoundCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(names = "--round", paramLabel = "R", description = "The round to run (default: the next one)")
  Integer round;

  @Override
  public Integer call() throws Exception {
    if (round != null && round < 1) {
      throw new IllegalArgumentException("--round must be a round number >= 1, got " + round);
    }
    RunConfig cfg = config.load(List.of());
    SparkSession spark = SparkSessions.getOrCreate("fedit round " + cfg.run().name());
    try (WriterLock lock = RunSetup.lockRun(spark, cfg)) {
      RoundDriver driver = RunSetup.open(spark, cfg, System.out);
      int r = round != null ? round : driver.committedRounds() + 1;
      Optional<RoundReport> report = driver.runIfNext(r);
      if (report.isEmpty()) {
        System.out.println("round " + r + ": already committed; nothing to do");
      } else {
        System.out.println(report.get().line(Math.max(r, driver.plannedRounds())));
        RunSetup.writeReport(spark, cfg, System.out); // after each round that ran, so a scheduled run's page is current
      }
      RunSetup.printWhereResultsAre(driver, System.out);
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
