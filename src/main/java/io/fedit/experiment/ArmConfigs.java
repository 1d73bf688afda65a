package io.fedit.experiment;

import io.fedit.config.ExperimentSection;
import io.fedit.config.OutputSection;
import io.fedit.config.RunConfig;
import io.fedit.config.RunSection;
import io.fedit.config.TrainSection;

/**
 * The configurations the experiment derives from the user's one: the federated run of each seed (its own
 * run directory under {@code <run dir>/experiment/}) and the training budgets of the solo arms. Only the
 * named fields change; everything else is the user's configuration.
 */
final class ArmConfigs {
  private ArmConfigs() {}

  /** {@code <output.dir>/<run.name>/experiment}: where every arm's output and the results live. */
  static String experimentDir(RunConfig cfg) {
    return cfg.runDir() + "/experiment";
  }

  /** The FedIT arm of seed {@code seed}: run {@code fedit-seed-<seed>} under the experiment directory. */
  static RunConfig fedit(RunConfig cfg, long seed) {
    return new RunConfig(new RunSection("fedit-seed-" + seed, seed), new OutputSection(experimentDir(cfg)),
        cfg.model(), cfg.data(), cfg.partition(), cfg.lora(), cfg.train(), cfg.federation(), cfg.checkpoint(),
        cfg.eval(), cfg.experiment());
  }

  /**
   * The configuration an experiment's settings are compared by on a rerun: the user's, with the seed count
   * normalised (adding seeds to an experiment is allowed, changing anything else is not).
   */
  static RunConfig identity(RunConfig cfg) {
    ExperimentSection e = cfg.experiment();
    return new RunConfig(cfg.run(), cfg.output(), cfg.model(), cfg.data(), cfg.partition(), cfg.lora(), cfg.train(),
        cfg.federation(), cfg.checkpoint(), cfg.eval(),
        new ExperimentSection(1, e.localOnlyClients(), e.localBudget(), e.bootstrapSamples()));
  }

  /**
   * {@code cfg} with the local budget multiplied by {@code times}: local_epochs x times, or, with a step budget
   * (train.max_steps > 0), max_steps x times. The trainer's own settings are otherwise unchanged.
   */
  static RunConfig timesLocalBudget(RunConfig cfg, int times) {
    TrainSection t = cfg.train();
    return t.maxSteps() > 0 ? withBudget(cfg, t.localEpochs(), Math.multiplyExact(t.maxSteps(), times))
        : withBudget(cfg, Math.multiplyExact(t.localEpochs(), times), 0);
  }

  /** {@code cfg} with train.local_epochs and train.max_steps replaced. */
  static RunConfig withBudget(RunConfig cfg, int epochs, int maxSteps) {
    TrainSection t = cfg.train();
    TrainSection b = new TrainSection(epochs, maxSteps, t.batchSize(), t.microBatchSize(), t.learningRate(),
        t.weightDecay(), t.adamBeta1(), t.adamBeta2(), t.adamEps(), t.lrSchedule(), t.warmupSteps(), t.maxGradNorm(),
        t.trainOnInputs(), t.groupByLength(), t.threads());
    return new RunConfig(cfg.run(), cfg.output(), cfg.model(), cfg.data(), cfg.partition(), cfg.lora(), b,
        cfg.federation(), cfg.checkpoint(), cfg.eval(), cfg.experiment());
  }
}
