package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.client.TrainingExample;
import io.fedit.config.ConfigLoader;
import io.fedit.config.TrainSection;
import io.fedit.client.BatchPlan;
import io.fedit.client.MicroBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure parts of the experiment: bootstrap intervals, the centralized token budget, local-only sampling. */
class BootstrapTest {
  @Test
  void intervalContainsTheEstimateIsSeededAndNarrowsWithMoreRecords() {
    Random r = new Random(3);
    long[] tok = new long[400];
    double[] nll = new double[400];
    long t = 0;
    double s = 0;
    for (int i = 0; i < tok.length; i++) {
      tok[i] = 1 + r.nextInt(40);
      nll[i] = tok[i] * (2 + r.nextGaussian() * 0.3);
      t += tok[i];
      s += nll[i];
    }
    double est = s / t;
    double[] ci = Bootstrap.interval95(tok, nll, 1000, 11);
    assertTrue(ci[0] < est && est < ci[1], est + " in " + ci[0] + ".." + ci[1]);
    assertArrayEquals(ci, Bootstrap.interval95(tok, nll, 1000, 11), "same seed, same interval");
    double[] small = Bootstrap.interval95(java.util.Arrays.copyOf(tok, 25), java.util.Arrays.copyOf(nll, 25), 1000, 11);
    assertTrue(small[1] - small[0] > ci[1] - ci[0], "fewer records, wider interval");
    assertNull(Bootstrap.interval95(new long[0], new double[0], 1000, 1));
    assertNull(Bootstrap.interval95(tok, nll, 0, 1), "no samples, no interval");
    assertArrayEquals(new double[] {5.0, 5.0}, Bootstrap.interval95(new long[] {2}, new double[] {10}, 50, 1));
  }

  @Test
  void quantileInterpolatesLikeNumpy() {
    double[] v = {1, 2, 3, 4, 5};
    assertEquals(1.1, Bootstrap.quantile(v, 0.025), 1e-12); // numpy.quantile([1..5], 0.025) = 1.1
    assertEquals(4.9, Bootstrap.quantile(v, 0.975), 1e-12);
  }

  @Test
  void centralizedBudgetIsTheFewestStepsReachingTheTokens() {
    TrainSection t = ConfigLoader.load(null, List.of("train.batch_size=4", "train.micro_batch_size=2")).train();
    List<TrainingExample> ex = new ArrayList<>();
    Random r = new Random(5);
    for (int i = 0; i < 37; i++) {
      long[] ids = new long[3 + r.nextInt(30)];
      ex.add(TrainingExample.of(ids, 2, 2, 64));
    }
    for (long target : new long[] {1, 100, 1234, 5000}) {
      int steps = TokenBudget.stepsForTokens(ex, t, 9, target);
      List<List<MicroBatch>> plan = BatchPlan.plan(ex, t.withStepBudget(steps), 9);
      long all = 0, allButLast = 0;
      for (int s = 0; s < plan.size(); s++) {
        for (MicroBatch mb : plan.get(s)) {
          all += mb.positions();
          if (s < plan.size() - 1) allButLast += mb.positions();
        }
      }
      assertEquals(steps, plan.size());
      assertTrue(all >= target && allButLast < target, target + " tokens: " + steps + " steps give " + all);
    }
  }

  @Test
  void armConfigsReplaceOnlyTheirSection() {
    var cfg = ConfigLoader.load(null, List.of("train.max_steps=3", "federation.rounds=4"));
    var fedit = ArmConfigs.fedit(cfg, 7);
    assertEquals(7, fedit.run().seed());
    assertEquals("fedit-seed-7", fedit.run().name());
    assertEquals(cfg.runDir() + "/experiment/fedit-seed-7", fedit.runDir());
    assertEquals(cfg.train(), fedit.train());
    assertEquals(cfg.eval(), fedit.eval());
    var local = ArmConfigs.timesLocalBudget(cfg, 4);
    assertEquals(12, local.train().maxSteps(), "max_steps x rounds");
    assertEquals(cfg.train().learningRate(), local.train().learningRate());
    var epochs = ArmConfigs.timesLocalBudget(ConfigLoader.load(null, List.of("train.local_epochs=2")), 5);
    assertEquals(10, epochs.train().localEpochs(), "local_epochs x rounds without a step budget");
  }

  @Test
  void localOnlySampleIsSeededSortedAndCapped() {
    List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g");
    List<String> s = SeedExperiment.sample(ids, 3, 42);
    assertEquals(3, s.size());
    assertEquals(s, SeedExperiment.sample(ids, 3, 42));
    assertEquals(s.stream().sorted().toList(), s);
    assertEquals(ids, SeedExperiment.sample(ids, 10, 1), "more than there are: all of them");
  }
}
