package io.fedit.job;

import io.fedit.config.RunConfig;
import io.fedit.fs.WriterLock;
import io.fedit.round.RoundDriver;
import io.fedit.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedit train}: prepare if needed, then run rounds until N are committed (resumes after a crash). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Run federated rounds until --rounds (default federation.rounds) are committed. Rerunning "
        + "after a crash resumes from the last committed round; data is prepared first if needed.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(names = "--rounds", paramLabel = "N", description = "Total rounds to reach (overrides federation.rounds)")
  Integer rounds;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(rounds == null ? List.of() : List.of("federation.rounds=" + rounds));
    SparkSession spark = SparkSessions.getOrCreate("fedit train " + cfg.run().name());
    try (WriterLock lock = RunSetup.lockRun(spark, cfg)) {
      RoundDriver driver = RunSetup.open(spark, cfg, System.out);
      int target = driver.plannedRounds();
      int before = driver.committedRounds();
      if (before >= target) {
        System.out.println("train: " + before + " rounds already committed (target " + target + "); nothing to do");
      } else if (before > 0) {
        System.out.println("train: resuming after round " + before);
      }
      driver.runUntil(target, r -> System.out.println(r.line(target)));
      RunSetup.printBestRound(cfg, driver, System.out);
      RunSetup.printWhereResultsAre(driver, System.out);
      RunSetup.writeReport(spark, cfg, System.out);
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
