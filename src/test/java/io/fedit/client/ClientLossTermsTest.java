package io.fedit.client;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraAdapter;
import io.fedit.lora.TrainableArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * FedProx's and SCAFFOLD's loss terms on the tiny model's real adapter layout, value and gradient by hand,
 * and FFA-LoRA's frozen A in a real training run.
 */
class ClientLossTermsTest {
  private final RunConfig cfg = TrainerFixture.config();
  private final AdapterWeights start = TrainerFixture.initial(cfg, 7);

  /** start with every A value + da and every B value set to b. */
  private AdapterWeights moved(float da, float b) {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    for (var e : start.tensors().entrySet()) {
      float[] v = e.getValue().values().clone();
      boolean isA = e.getKey().contains("lora_A");
      for (int i = 0; i < v.length; i++) v[i] = isA ? v[i] + da : b;
      m.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape(), v));
    }
    return new AdapterWeights(m);
  }

  private static long count(AdapterWeights w, boolean a) {
    return w.tensors().entrySet().stream().filter(e -> e.getKey().contains("lora_A") == a)
        .mapToLong(e -> e.getValue().values().length).sum();
  }

  /** Evaluates {@code term} at {@code at}; returns its value and checks every gradient entry with {@code expected}. */
  private double valueAndCheckGradient(LossTerm term, AdapterWeights at, BiFunction<Boolean, Float, Double> expected) {
    boolean prev = Autograd.enable(true);
    try (NDManager run = TrainerFixture.MODEL.manager().newSubManager();
        LoraAdapter lora = LoraAdapter.create(run, TrainerFixture.WEIGHTS.config(), at, 1.0, 0, DataType.FLOAT32)) {
      NDList params = lora.parameters();
      for (NDArray p : params) p.setRequiresGradient(true);
      double value;
      try (NDManager step = run.newSubManager()) {
        NDArray v = term.value(lora, step);
        value = v.getFloat();
        Autograd.backward(v, step.ones(new Shape(), DataType.FLOAT32));
        Autograd.enable(false);
        for (int i = 0; i < params.size(); i++) {
          boolean isA = i % 2 == 0; // parameters(): A^T then B^T per target
          float[] g = Autograd.gradient(params.get(i), step).toFloatArray();
          float[] p = params.get(i).toFloatArray();
          for (int j = 0; j < g.length; j++) {
            assertEquals(expected.apply(isA, p[j]), g[j], 1e-6, (isA ? "A" : "B") + " array " + i + "[" + j + "]");
          }
        }
      }
      return value;
    } finally {
      Autograd.enable(prev);
    }
  }

  @Test
  void proximalTermIsHalfMuSquaredDistanceWithGradientMuTimesDifference() {
    double mu = 0.2;
    // w − w_global: +0.25 on every A value, 0.5 − 0 on every B value.
    double value = valueAndCheckGradient(new ProximalTerm(TrainerFixture.WEIGHTS.config(), start, mu), moved(0.25f, 0.5f),
        (isA, p) -> isA ? mu * 0.25 : mu * 0.5);
    double byHand = mu / 2 * (count(start, true) * 0.0625 + count(start, false) * 0.25);
    assertEquals(byHand, value, 1e-4 * byHand);
  }

  @Test
  void controlVariateTermIsLinearWithGradientTheCorrection() {
    // correction c − c_i: 2 on every A value, −3 on every B value; evaluated at A = start + 0, B = 1.
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    for (var e : start.tensors().entrySet()) {
      float[] v = new float[e.getValue().values().length];
      java.util.Arrays.fill(v, e.getKey().contains("lora_A") ? 2f : -3f);
      m.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape(), v));
    }
    AdapterWeights at = moved(0f, 1f);
    double value = valueAndCheckGradient(new ControlVariateTerm(TrainerFixture.WEIGHTS.config(), new AdapterWeights(m)),
        at, (isA, p) -> isA ? 2.0 : -3.0);
    double sumA = 0;
    for (var e : start.tensors().entrySet()) {
      if (e.getKey().contains("lora_A")) for (float v : e.getValue().values()) sumA += v;
    }
    double byHand = 2 * sumA - 3 * count(start, false); // <w, c − c_i>
    assertEquals(byHand, value, 1e-6 * Math.abs(byHand)); // float32 sum of ~4,000 values
  }

  @Test
  void ffaLoraTrainsOnlyBAndLeavesEveryAExactlyAsItStarted() {
    RunConfig ffa = TrainerFixture.config("federation.ffa_lora=true", "train.max_steps=2", "train.batch_size=2",
        "train.micro_batch_size=2", "data.cutoff_len=48", "train.learning_rate=1.0e-2");
    LocalTrainer t = new LocalTrainer(TrainerFixture.MODEL, TrainerFixture.TOKENIZER, ffa);
    var records = TrainerFixture.dolly("train", java.util.Set.of("open_qa"), 4);
    AdapterWeights trained = t.train(records, start, 11, 1, new TrainingObjective(List.of(
        new ProximalTerm(TrainerFixture.WEIGHTS.config(), start, 0.01)), TrainableArrays.B_ONLY)).adapter();
    for (var e : start.tensors().entrySet()) {
      float[] after = trained.get(e.getKey()).values();
      if (e.getKey().contains("lora_A")) assertArrayEquals(e.getValue().values(), after, e.getKey());
      else assertFalse(java.util.Arrays.equals(e.getValue().values(), after), e.getKey() + " trained");
    }
  }
}
