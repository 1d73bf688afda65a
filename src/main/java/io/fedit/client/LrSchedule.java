package io.fedit.client;

/**
 * Learning rate of optimizer step {@code step} (0-based) out of {@code total}, as Hugging Face's schedulers
 * compute it: linear warm-up from 0 over {@code warmup} steps, then constant, linear decay to 0 or cosine
 * decay to 0 at {@code total}.
 */
public record LrSchedule(String kind, double peak, int warmup, int total) {

  public double at(int step) {
    if (step < warmup) return peak * step / Math.max(1, warmup);
    double progress = (double) (step - warmup) / Math.max(1, total - warmup);
    return switch (kind) {
      case "constant" -> peak;
      case "linear" -> peak * Math.max(0.0, 1.0 - progress);
      case "cosine" -> peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
      default -> throw new IllegalArgumentException("train.lr_schedule must be constant, linear or cosine, got '" + kind + "'");
    };
  }
}
