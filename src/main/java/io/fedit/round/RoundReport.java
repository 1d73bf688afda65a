package io.fedit.round;

import io.fedit.checkpoint.RoundMetricsRow;
import java.util.Locale;

/** One committed (or skipped) round, as printed on the console. */
public record RoundReport(RoundMetricsRow metrics, int failed, int rejected, String roundDir) {
  public String line(int targetRounds) {
    RoundMetricsRow m = metrics;
    long overhead = m.wallMs() - m.trainingMs();
    return String.format(Locale.ROOT,
        "round %d/%d: %d clients, %d accepted%s, train loss %.4f, %.1f s (training %.1f s, overhead %.1f s = %.1f%%)",
        m.round(), targetRounds, m.clientsSampled(), m.clientsAccepted(),
        failed + rejected == 0 ? "" : String.format(Locale.ROOT, " (%d failed, %d rejected)", failed, rejected),
        m.trainLoss(), m.wallMs() / 1e3, m.trainingMs() / 1e3, overhead / 1e3,
        m.wallMs() == 0 ? 0.0 : 100.0 * overhead / m.wallMs());
  }
}
