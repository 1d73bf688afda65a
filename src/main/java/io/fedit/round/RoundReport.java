package io.fedit.round;

import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.eval.EvalMetricsRow;
import java.util.Locale;

/**
 * One committed (or skipped) round, as printed on the console.
 *
 * @param late    sampled clients the round stopped waiting for (deadline, over-selection)
 * @param heldOut the overall held-out evaluation of the round's global adapter, or null when not evaluated
 */
public record RoundReport(RoundMetricsRow metrics, int failed, int rejected, int late, String roundDir,
    EvalMetricsRow heldOut) {
  public RoundReport(RoundMetricsRow metrics, int failed, int rejected, String roundDir) {
    this(metrics, failed, rejected, 0, roundDir, null);
  }

  public String line(int targetRounds) {
    RoundMetricsRow m = metrics;
    long overhead = m.wallMs() - m.trainingMs();
    return String.format(Locale.ROOT,
        "round %d/%d: %d clients, %d accepted%s, train loss %.4f, %.1f s (training %.1f s, overhead %.1f s = %.1f%%)",
        m.round(), targetRounds, m.clientsSampled(), m.clientsAccepted(),
        failed + rejected + late == 0 ? "" : String.format(Locale.ROOT, " (%d failed, %d rejected%s)", failed, rejected,
            late == 0 ? "" : ", " + late + " late"),
        m.trainLoss(), m.wallMs() / 1e3, m.trainingMs() / 1e3, overhead / 1e3,
        m.wallMs() == 0 ? 0.0 : 100.0 * overhead / m.wallMs()) + (heldOut == null ? "" : "; " + heldOut(heldOut));
  }

  /** "held-out dolly_test response loss 3.1416 (80/80 records), 1.2 s". */
  public static String heldOut(EvalMetricsRow e) {
    if (e.tokens() == 0) {
      return String.format(Locale.ROOT, "held-out %s: no response token scored in %d records (data.cutoff_len too short "
          + "for the prompt template?), eval %.1f s", e.split(), e.examples(), e.wallMs() / 1e3);
    }
    return String.format(Locale.ROOT, "held-out %s response loss %.4f (%d/%d records scored)%s, eval %.1f s",
        e.split(), e.responseLoss(), e.scoredExamples(), e.examples(),
        Double.isNaN(e.rougeL()) ? "" : String.format(Locale.ROOT, ", ROUGE-L %.3f", e.rougeL()), e.wallMs() / 1e3);
  }
}
