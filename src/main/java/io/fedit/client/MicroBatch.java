package io.fedit.client;

import java.util.List;

/**
 * A right-padded micro batch as flat Java arrays, built once before training (no per-step Java work but
 * copying these into native arrays). Right padding is harmless under causal attention; padded and masked
 * positions get weight 0.
 *
 * @param inputs    (B*T) ids read by the model, padding 0
 * @param targets   (B*T) ids to predict at each position, 0 where weight is 0
 * @param weights   (B*T) loss weight per position: 1 or 0 (padding; prompt when !train_on_inputs)
 * @param rows      B
 * @param len       T, the longest example's positions
 * @param positions non-padding positions (tokens processed)
 * @param counted   positions with weight 1 (loss denominators)
 */
public record MicroBatch(long[] inputs, long[] targets, float[] weights, int rows, int len, int positions,
    int counted) {

  /** Packs examples; {@code trainOnInputs} false masks every target that is still a prompt token. */
  public static MicroBatch of(List<TrainingExample> examples, boolean trainOnInputs) {
    int b = examples.size(), t = 0;
    for (TrainingExample e : examples) t = Math.max(t, e.positions());
    long[] in = new long[b * t], tg = new long[b * t];
    float[] w = new float[b * t];
    int positions = 0, counted = 0;
    for (int i = 0; i < b; i++) {
      TrainingExample e = examples.get(i);
      long[] tok = e.tokens();
      int n = e.positions();
      // position p predicts token p+1; it is a prompt label when p+1 < promptLen
      int firstCounted = trainOnInputs ? 0 : Math.max(0, e.promptLen() - 1);
      for (int p = 0; p < n; p++) {
        in[i * t + p] = tok[p];
        if (p >= firstCounted) {
          tg[i * t + p] = tok[p + 1];
          w[i * t + p] = 1f;
          counted++;
        }
      }
      positions += n;
    }
    return new MicroBatch(in, tg, w, b, t, positions, counted);
  }

  /** The same batch with weights multiplied by {@code f} (1 / counted positions of the whole optimizer step). */
  public MicroBatch scaled(float f) {
    float[] w = weights.clone();
    for (int i = 0; i < w.length; i++) w[i] *= f;
    return new MicroBatch(inputs, targets, w, rows, len, positions, counted);
  }
}
