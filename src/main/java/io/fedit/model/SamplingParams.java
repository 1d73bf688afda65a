package io.fedit.model;

/**
 * How to pick tokens. temperature 0 means greedy (argmax, first index on ties); otherwise softmax(logits / T)
 * restricted to the topK most likely tokens (0 = all) and to the smallest set whose mass reaches topP (1 = all),
 * drawn with a Random seeded from {@code seed} (no global random state).
 */
public record SamplingParams(int maxNewTokens, double temperature, int topK, double topP, long seed, boolean stopAtEos) {
  public SamplingParams {
    if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
    if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
    if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
  }

  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(maxNewTokens, 0, 0, 1, 0, true);
  }
}
