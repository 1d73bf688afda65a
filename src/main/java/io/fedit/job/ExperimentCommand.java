package io.fedit.job;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.experiment.Experiment;
import io.fedit.spark.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedit experiment}: FedIT, local-only, centralized and base from one configuration, per seed. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Run the FedIT paper's comparison from one configuration: the federated run, local-only clients "
        + "(experiment.local_only_clients, each alone on its own data with a matched budget), a centralized model on "
        + "all clients' data with the federated run's training tokens, and the base model, all evaluated identically "
        + "on eval.path and the held-out splits, for several seeds. Results: <run dir>/experiment/results (Parquet). "
        + "A rerun keeps the seeds already done.")
public final class ExperimentCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ExperimentCommand.class);

  @Mixin ConfigOptions config;

  @Option(names = "--seeds", paramLabel = "N|A-B|S1,S2,...",
      description = "A count N <= 20 (run.seed, run.seed+1, ...), a range A-B, or a comma-separated list of seeds "
          + "(one seed S: 'S,'); default experiment.seeds as a count")
  String seeds;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    List<Long> list = Experiment.seeds(cfg, seeds);
    LOG.info("configuration:\n{}", ConfigLoader.toYaml(cfg));
    if (cfg.eval().holdoutRecords() == 0) {
      System.out.println("note: eval.holdout_records is 0: only " + cfg.eval().split() + " is evaluated (conf/experiment.yaml "
          + "holds 1000 records out of training)");
    }
    SparkSession spark = SparkSessions.getOrCreate("fedit experiment " + cfg.run().name());
    try {
      GpuRequest.requireSchedulable(cfg.model(), spark.sparkContext().getConf());
      new Experiment(spark, cfg, System.out).run(list);
      RunSetup.writeExperimentReports(spark, cfg, list, System.out);
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }
}
