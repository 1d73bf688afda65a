package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedit.seeds.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Autoregressive decoding with a KV cache: the prompt in one forward, then one token per step. Each step runs
 * in its own sub-manager, and the cache replaces (and frees) its arrays, so native memory does not grow with
 * the number of steps.
 */
public final class Generator {
  private final LlamaModel model;

  public Generator(LlamaModel model) {
    this.model = model;
  }

  /** New token ids after {@code prompt} (which should start with BOS), stopping at EOS if asked. */
  public long[] generate(long[] prompt, SamplingParams params, LowRankDelta lora) {
    return generate(prompt, params, lora, id -> {});
  }

  /** As {@link #generate(long[], SamplingParams, LowRankDelta)}, reporting each new token as it is chosen. */
  public long[] generate(long[] prompt, SamplingParams params, LowRankDelta lora, IntConsumer onToken) {
    if (prompt.length == 0) throw new IllegalArgumentException("prompt must hold at least one token (BOS)");
    LlamaConfig c = model.config();
    int budget = Math.min(params.maxNewTokens(), c.maxSequence() - prompt.length);
    long[] out = new long[Math.max(budget, 0)];
    int n = 0;
    Random rnd = Seeds.legacyStream(params.seed());
    try (NDManager gen = model.manager().newSubManager(); KvCache cache = model.newCache(gen)) {
      long[] input = prompt;
      while (n < budget) {
        float[] logits;
        try (NDManager step = gen.newSubManager()) {
          NDArray ids = step.create(input, new Shape(1, input.length)); // (1, T)
          logits = model.forwardStep(ids, cache, lora).toFloatArray(); // (V)
        }
        int next = params.temperature() == 0 ? argmax(logits) : sample(logits, params, rnd);
        out[n++] = next;
        onToken.accept(next);
        if (params.stopAtEos() && c.isStopToken(next)) break;
        input = new long[] {next};
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** First index of the maximum, like torch.argmax and llama2.c. */
  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  /** Temperature, then top-k, then top-p (nucleus), then a draw. */
  static int sample(float[] logits, SamplingParams p, Random rnd) {
    int v = logits.length;
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
    int keep = p.topK() > 0 ? Math.min(p.topK(), v) : v;
    double max = logits[order[0]];
    double[] prob = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      prob[i] = Math.exp((logits[order[i]] - max) / p.temperature());
      sum += prob[i];
    }
    double mass = 0;
    int cut = keep;
    for (int i = 0; i < keep; i++) {
      prob[i] /= sum;
      mass += prob[i];
      if (mass >= p.topP()) {
        cut = i + 1;
        break;
      }
    }
    double r = rnd.nextDouble() * Math.min(mass, 1.0);
    double acc = 0;
    for (int i = 0; i < cut; i++) {
      acc += prob[i];
      if (r < acc) return order[i];
    }
    return order[cut - 1];
  }
}
