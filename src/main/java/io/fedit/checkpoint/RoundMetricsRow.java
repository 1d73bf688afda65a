package io.fedit.checkpoint;

import io.fedit.federation.update.ClientUpdate;
import java.util.List;

/**
 * One row of the round metrics table. Times are wall-clock milliseconds of the round's phases, so that
 * round overhead (everything but training) can be read off directly.
 *
 * @param trainLoss example-weighted mean of the accepted clients' mean loss; NaN (stored as null) when
 *                  no client was accepted
 * @param wallMs    the whole round; {@link CheckpointStore#commit} adds its own commit time to the
 *                  value given, and fills {@code commitMs} itself
 */
public record RoundMetricsRow(
    int round, int clientsSampled, int clientsAccepted, double trainLoss, long wallMs, long schedulingMs,
    long trainingMs, long aggregationMs, long commitMs) {

  /** A row for the accepted updates, with the phase times measured by the round driver. */
  public static RoundMetricsRow of(int round, int clientsSampled, List<ClientUpdate> accepted, long wallMs,
      long schedulingMs, long trainingMs, long aggregationMs) {
    return new RoundMetricsRow(round, clientsSampled, accepted.size(), trainLoss(accepted), wallMs, schedulingMs,
        trainingMs, aggregationMs, 0);
  }

  /** Σ n_k · meanLoss_k / Σ n_k over updates that report metrics; NaN when there are none. */
  public static double trainLoss(List<ClientUpdate> accepted) {
    double sum = 0;
    double n = 0;
    for (ClientUpdate u : accepted) {
      if (u.metrics() == null || !Double.isFinite(u.metrics().meanLoss())) continue;
      sum += u.exampleCount() * u.metrics().meanLoss();
      n += u.exampleCount();
    }
    return n > 0 ? sum / n : Double.NaN;
  }

  RoundMetricsRow withCommit(long commitMillis) {
    return new RoundMetricsRow(round, clientsSampled, clientsAccepted, trainLoss, wallMs + commitMillis,
        schedulingMs, trainingMs, aggregationMs, commitMillis);
  }
}
