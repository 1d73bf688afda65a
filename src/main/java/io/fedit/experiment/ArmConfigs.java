package io.fedit.experiment;

import io.fedit.config.ExperimentSection;
import io.fedit.config.OutputSection;
import io.fedit.config.RunConfig;
import io.fedit.config.RunSection;
import io.fedit.config.TrainSection;
import io.fedit.layout.RunLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * The configurations the experiment derives from the user's one: the federated run of each seed (its own
 * run directory under {@code <run dir>/experiment/}) and the training budgets of the solo arms. Only the
 * named fields change; everything else is the user's configuration.
 */
final class ArmConfigs {
  private ArmConfigs() {}

  /** {@code <output.dir>/<run.name>/experiment} ({@link RunLayout#experimentDir}): where every arm's output and the results live. */
  static String experimentDir(RunConfig cfg) {
    return RunLayout.of(cfg.runDir()).experimentDir().toString();
  }

  /** The FedIT arm of seed {@code seed}: run {@code fedit-seed-<seed>} under the experiment directory. */
  static RunConfig fedit(RunConfig cfg, long seed) {
    return with(with(cfg, new RunSection(RunLayout.experimentArmRunName(seed), seed)), new OutputSection(experimentDir(cfg)));
  }

  /**
   * The configuration an experiment's settings are compared by on a rerun: the user's, with the seed count
   * normalised (adding seeds to an experiment is allowed, changing anything else is not).
   */
  static RunConfig identity(RunConfig cfg) {
    ExperimentSection e = cfg.experiment();
    return with(cfg, new ExperimentSection(1, e.localOnlyClients(), e.localBudget(), e.bootstrapSamples()));
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
    return with(cfg, b);
  }

  /**
   * {@code cfg} with the one section of {@code section}'s type replaced. Built through the record's components,
   * so sections that other features add to RunConfig are carried over without a change here.
   */
  static RunConfig with(RunConfig cfg, Object section) {
    RecordComponent[] parts = RunConfig.class.getRecordComponents();
    Object[] values = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    int replaced = 0;
    try {
      for (int i = 0; i < parts.length; i++) {
        types[i] = parts[i].getType();
        boolean match = types[i] == section.getClass();
        values[i] = match ? section : parts[i].getAccessor().invoke(cfg);
        if (match) replaced++;
      }
      if (replaced != 1) throw new IllegalArgumentException("RunConfig has no section of type " + section.getClass());
      return RunConfig.class.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy the configuration: " + e, e);
    }
  }
}
