package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.lora.AdapterWeights;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LossMaskingTest {
  /** Replaces the targets of every position the loss ignores (weight 0) with random token ids. */
  private static MicroBatch scrambleMasked(MicroBatch mb) {
    long[] targets = mb.targets().clone();
    Random rnd = new Random(5);
    for (int i = 0; i < targets.length; i++) if (mb.weights()[i] == 0f) targets[i] = rnd.nextInt(512);
    return new MicroBatch(mb.inputs(), targets, mb.weights(), mb.rows(), mb.len(), mb.positions(), mb.counted());
  }

  /** Replaces the prompt-label targets (what train_on_inputs = false masks) with random ids. */
  private static MicroBatch scramblePrompt(MicroBatch mb, List<TrainingExample> ex) {
    long[] targets = mb.targets().clone();
    Random rnd = new Random(5);
    for (int i = 0; i < ex.size(); i++) {
      for (int p = 0; p < ex.get(i).promptLen() - 1; p++) targets[i * mb.len() + p] = rnd.nextInt(512);
    }
    return new MicroBatch(mb.inputs(), targets, mb.weights(), mb.rows(), mb.len(), mb.positions(), mb.counted());
  }

  @Test
  void withoutTrainOnInputsPromptLabelsDoNotChangeTheGradients() {
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=256", "train.train_on_inputs=false");
    List<TrainingExample> ex = t.examples(TrainerFixture.dolly("train", Set.of("open_qa"), 4));
    // a trained-looking adapter (B nonzero), so that gradients reach both A and B
    AdapterWeights start = TrainerFixture.trainer("data.cutoff_len=64", "train.max_steps=2", "train.learning_rate=1e-2",
        "train.batch_size=4").train(TrainerFixture.dolly("train", Set.of("open_qa"), 8),
        TrainerFixture.initial(TrainerFixture.config(), 1), 1, 0).adapter();

    MicroBatch masked = MicroBatch.of(ex, false);
    int prompt = 0;
    for (TrainingExample e : ex) prompt += e.promptLen() - 1;
    assertEquals(masked.positions() - prompt, masked.counted(), "exactly the prompt labels are masked");
    float[] g = t.gradient(masked, start);
    assertArrayEquals(g, t.gradient(scramblePrompt(masked, ex), start));
    assertArrayEquals(g, t.gradient(scrambleMasked(masked), start));
    assertTrue(Arrays.stream(box(g)).anyMatch(v -> v != 0f), "gradient is zero");

    // control: with train_on_inputs the prompt labels are part of the loss and change the gradient
    MicroBatch all = MicroBatch.of(ex, true);
    assertEquals(all.positions(), all.counted());
    assertFalse(Arrays.equals(t.gradient(all, start), t.gradient(scramblePrompt(all, ex), start)));
  }

  private static Float[] box(float[] a) {
    Float[] b = new Float[a.length];
    for (int i = 0; i < a.length; i++) b[i] = a[i];
    return b;
  }
}
