package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.config.ConfigLoader;
import io.fedit.config.ExperimentSection;
import io.fedit.config.OutputSection;
import io.fedit.config.RunConfig;
import io.fedit.config.RunSection;
import io.fedit.config.TrainSection;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The experiment's arm configurations equal, record for record, those of the reference derivation below (the
 * one ArmConfigs used before it went through the configuration loader: a section record built by hand and put
 * into a copy of RunConfig through its components), for user configurations with step and epoch budgets, lists,
 * and an output directory that YAML would not read back as written.
 */
class ArmConfigsTest {
  private static List<RunConfig> userConfigs() {
    RunConfig odd = ConfigLoader.withStrings(ConfigLoader.load(null, List.of("train.local_epochs=3")),
        Map.of("output.dir", "hdfs://nn:8020/runs: #7 [x]"));
    return List.of(
        ConfigLoader.defaults(),
        ConfigLoader.load(null, List.of("train.max_steps=3", "federation.rounds=4", "run.seed=11",
            "lora.target_modules=[q_proj, k_proj, v_proj]", "train.learning_rate=0.00031", "experiment.seeds=3",
            "experiment.local_budget=participation", "train.lr_schedule=cosine", "run.name=my.run_1")),
        odd);
  }

  @Test
  void armsEqualTheReferenceDerivation() {
    for (RunConfig cfg : userConfigs()) {
      for (long seed : new long[] {0, 7, 42, Long.MAX_VALUE}) {
        RunConfig ref = reference(reference(cfg, new RunSection("fedit-seed-" + seed, seed)),
            new OutputSection(cfg.runDir() + "/experiment"));
        assertEquals(ref, ArmConfigs.fedit(cfg, seed), "fedit arm of seed " + seed);
      }
      ExperimentSection e = cfg.experiment();
      ExperimentSection oneSeed = new ExperimentSection(1, e.localOnlyClients(), e.localBudget(), e.bootstrapSamples());
      assertEquals(reference(cfg, oneSeed), ArmConfigs.identity(cfg));
      for (int times : new int[] {1, 4}) {
        TrainSection t = cfg.train();
        RunConfig ref = t.maxSteps() > 0 ? referenceBudget(cfg, t.localEpochs(), t.maxSteps() * times)
            : referenceBudget(cfg, t.localEpochs() * times, 0);
        assertEquals(ref, ArmConfigs.timesLocalBudget(cfg, times), "local budget x " + times);
      }
      assertEquals(referenceBudget(cfg, 2, 9), ArmConfigs.withBudget(cfg, 2, 9));
      assertEquals(ConfigLoader.toYaml(referenceBudget(cfg, 2, 9)),
          ConfigLoader.toYaml(ArmConfigs.withBudget(cfg, 2, 9)), "as saved in config.yaml");
    }
  }

  private static RunConfig referenceBudget(RunConfig cfg, int epochs, int maxSteps) {
    TrainSection t = cfg.train();
    return reference(cfg, new TrainSection(epochs, maxSteps, t.batchSize(), t.microBatchSize(), t.learningRate(),
        t.weightDecay(), t.adamBeta1(), t.adamBeta2(), t.adamEps(), t.lrSchedule(), t.warmupSteps(), t.maxGradNorm(),
        t.trainOnInputs(), t.groupByLength(), t.threads()));
  }

  /** {@code cfg} with the one section of {@code section}'s type replaced, through RunConfig's record components. */
  private static RunConfig reference(RunConfig cfg, Object section) {
    try {
      RecordComponent[] parts = RunConfig.class.getRecordComponents();
      Object[] values = new Object[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      for (int i = 0; i < parts.length; i++) {
        types[i] = parts[i].getType();
        values[i] = types[i] == section.getClass() ? section : parts[i].getAccessor().invoke(cfg);
      }
      return RunConfig.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
