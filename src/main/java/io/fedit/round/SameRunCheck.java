package io.fedit.round;

import io.fedit.checkpoint.RoundManifest;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Refuses (exit 2) to continue a run whose committed rounds were made with other settings or inputs: what may
 * change is the round count, the round deadline (it decides only which clients a round keeps, which committed
 * rounds record) and the privacy budget's target.
 */
final class SameRunCheck {
  private SameRunCheck() {}

  /** Committed rounds of this run must have been made with these settings and inputs. */
  static void check(RunConfig cfg, RoundManifest last, Map<String, String> inputHashes, Configuration hconf) {
    // Paths as the earlier run saw them, qualified the same way (runs saved before paths were qualified).
    RunConfig before = io.fedit.fs.QualifiedPaths.of(ConfigLoader.fromYaml(last.configYaml()), hconf);
    List<String> differs = new ArrayList<>();
    if (before.run().seed() != cfg.run().seed()) differs.add("run.seed");
    if (!before.model().equals(cfg.model())) differs.add("model");
    if (!before.data().equals(cfg.data())) differs.add("data");
    if (!before.partition().equals(cfg.partition())) differs.add("partition");
    if (!before.lora().equals(cfg.lora())) differs.add("lora");
    if (!before.train().equals(cfg.train())) differs.add("train");
    if (!io.fedit.federation.plan.RoundRules.sameFederation(before, cfg)) {
      differs.add("federation (other than rounds and round_deadline)");
    }
    // The budget target may change (to stop earlier or allow more rounds); the mechanism may not.
    if (!before.privacy().withTargetEpsilon(0).equals(cfg.privacy().withTargetEpsilon(0))) differs.add("privacy");
    if (!before.attack().equals(cfg.attack())) differs.add("attack");
    for (var e : inputHashes.entrySet()) {
      String was = last.inputHashes().get(e.getKey());
      if (was == null || was.equals(e.getValue())) continue;
      // Runs recorded before 2026-12 hold the header-only identity of large weight files.
      if (e.getKey().equals("base_model") && InputHashes.sameModel(was, e.getValue(), cfg.model().path(), hconf)) continue;
      differs.add("the " + e.getKey() + " files (content changed)");
    }
    if (!differs.isEmpty()) {
      throw new io.fedit.config.ConfigException("run " + cfg.runDir() + " has committed rounds made with other "
          + String.join(", ", differs) + "; continue it with its saved settings or start a new run.name");
    }
  }
}
