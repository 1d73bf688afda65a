package io.fedit.checkpoint;

import io.fedit.client.TrainMetrics;
import io.fedit.config.LoraSection;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.validation.UpdateValidator;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Round checkpoints with random but reproducible content. */
final class CheckpointFixtures {
  static final LoraSection LORA = new LoraSection(2, 16, 0.05, List.of("q_proj", "v_proj"), false);

  private CheckpointFixtures() {}

  /** Two layers × (q, v) × (A 2×4, B 4×2), values from the seed, plus awkward floats in the first tensor. */
  static AdapterWeights adapter(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    for (int layer = 0; layer < 2; layer++) {
      for (String proj : List.of("q_proj", "v_proj")) {
        String p = "base_model.model.model.layers." + layer + ".self_attn." + proj;
        m.put(p + ".lora_A.weight", new AdapterWeights.Tensor(new long[] {2, 4}, random(rnd, 8)));
        m.put(p + ".lora_B.weight", new AdapterWeights.Tensor(new long[] {4, 2}, random(rnd, 8)));
      }
    }
    float[] first = m.values().iterator().next().values();
    first[0] = -0.0f;
    first[1] = Float.MIN_VALUE; // subnormal
    first[2] = Float.MAX_VALUE;
    return new AdapterWeights(m);
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian() * 0.02f;
    return v;
  }

  static ClientUpdate update(int round, String client, long n, double meanLoss) {
    TrainMetrics m = new TrainMetrics(n, n * 100, 3, meanLoss + 1, meanLoss - 1, meanLoss, 1234.5, 2000,
        new float[] {(float) meanLoss + 1, (float) meanLoss, (float) meanLoss - 1});
    return new ClientUpdate(round, client, 0, n, adapter(round * 31L + client.hashCode()), m);
  }

  /** Round r: clients a (10 examples, loss 2), b (30 examples, loss 4), c rejected, d failed. */
  static RoundCheckpoint round(int r, boolean keepUpdates) {
    AdapterWeights global = adapter(r);
    List<ClientUpdate> updates = List.of(update(r, "a", 10, 2.0), update(r, "b", 30, 4.0),
        new ClientUpdate(r, "c", 0, 0, adapter(99), null));
    UpdateValidator.Result verdicts = new UpdateValidator().validateAll(r, adapter(r - 1), updates);
    List<ClientFailure> failures = List.of(new ClientFailure(r, "d", 1, "ExecutorLostFailure: executor 3 exited"));
    Map<String, AdapterWeights> kept = keepUpdates ? RoundCheckpoint.adaptersById(verdicts.accepted()) : Map.of();
    return RoundCheckpoint.builder(r).runName("test-run").strategy("fedavg").global(global).lora(LORA)
        .baseModelNameOrPath("data/stories260K-hf").configYaml("run:\n  name: test-run\n")
        .inputHashes(Map.of("base_model", "sha256:aa", "data", "sha256:bb"))
        .clientMetrics(ClientMetricsRow.of(verdicts, failures))
        .roundMetrics(RoundMetricsRow.of(r, 4, verdicts.accepted(), 5000, 10, 4000, 3)).clientUpdates(kept).build();
  }
}
