package io.fedit.experiment;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.config.TrainSection;
import io.fedit.layout.RunLayout;
import java.util.Map;

/**
 * The configurations the experiment derives from the user's one: the federated run of each seed (its own
 * run directory under {@code <run dir>/experiment/}) and the training budgets of the solo arms. Only the
 * named keys change (through {@link ConfigLoader#withValues}, validated like any configuration); everything
 * else is the user's configuration.
 */
final class ArmConfigs {
  private ArmConfigs() {}

  /** {@code <output.dir>/<run.name>/experiment} ({@link RunLayout#experimentDir}): where every arm's output and the results live. */
  static String experimentDir(RunConfig cfg) {
    return RunLayout.of(cfg.runDir()).experimentDir().toString();
  }

  /** The FedIT arm of seed {@code seed}: run {@code fedit-seed-<seed>} under the experiment directory. */
  static RunConfig fedit(RunConfig cfg, long seed) {
    return ConfigLoader.withValues(cfg,
        Map.of("run.name", RunLayout.experimentArmRunName(seed), "run.seed", seed, "output.dir", experimentDir(cfg)));
  }

  /**
   * The configuration an experiment's settings are compared by on a rerun: the user's, with the seed count
   * normalised (adding seeds to an experiment is allowed, changing anything else is not).
   */
  static RunConfig identity(RunConfig cfg) {
    return ConfigLoader.withValues(cfg, Map.of("experiment.seeds", 1));
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
    return ConfigLoader.withValues(cfg, Map.of("train.local_epochs", epochs, "train.max_steps", maxSteps));
  }
}
