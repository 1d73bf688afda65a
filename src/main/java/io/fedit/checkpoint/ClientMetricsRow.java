package io.fedit.checkpoint;

import io.fedit.client.TrainMetrics;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.validation.UpdateValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of the client metrics table: one client in one round, whatever became of it. Losses, speed and
 * update norm are NaN where unknown (a failed client trained nothing; a rejected update has no norm);
 * NaN is stored as null so that SQL averages skip it.
 *
 * @param status accepted | rejected | failed | late (sampled, but not finished by the round's deadline or
 *               beyond the planned number of clients under over-selection; left out, nothing trained is known)
 * @param reason why it was rejected, failed or late; null when accepted
 * @param skippedSteps optimizer steps of {@code steps} that float16 loss scaling skipped (non-finite gradients:
 *                     nothing applied, the scale halved); 0 for other dtypes and for clients that trained nothing
 * <p>Counts and times are {@link #WITHHELD} (stored as null) in a {@link #redacted} row.
 */
public record ClientMetricsRow(
    int round, String clientId, int attempt, long examples, long tokens, int steps,
    double firstLoss, double lastLoss, double meanLoss, double tokensPerSec, long wallMs,
    double updateNorm, String status, String reason, int skippedSteps) {
  public static final List<String> STATUSES = List.of("accepted", "rejected", "failed", "late");
  /** examples, tokens, steps, wall_ms, skipped_steps of a redacted row (null in the table). */
  public static final int WITHHELD = -1;
  static final String REDACTED_REASON = "details withheld (privacy.client_metrics: redacted)";

  public ClientMetricsRow {
    Objects.requireNonNull(clientId, "clientId");
    if (!STATUSES.contains(status)) throw new IllegalArgumentException("status must be one of " + STATUSES + ", got " + status);
  }

  /**
   * This row as client-level DP keeps it (privacy.client_metrics: redacted): client id, round, attempt and
   * status only. Everything computed from the client's data (sizes, losses, speed, wall time, update norm) is
   * withheld, and so is a rejection's reason (it quotes the update); a failure's or lateness' reason is kept (it
   * describes the task, not the data).
   */
  public ClientMetricsRow redacted() {
    return new ClientMetricsRow(round, clientId, attempt, WITHHELD, WITHHELD, WITHHELD, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, WITHHELD, Double.NaN, status, status.equals("rejected") ? REDACTED_REASON : reason,
        WITHHELD);
  }

  /** The row for a validated update (accepted or rejected). */
  public static ClientMetricsRow of(UpdateValidator.Verdict v) {
    ClientUpdate u = v.update();
    TrainMetrics m = u.metrics();
    String status = v.accepted() ? "accepted" : "rejected";
    if (m == null) {
      return new ClientMetricsRow(u.round(), u.clientId(), u.attempt(), u.exampleCount(), 0, 0,
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, v.updateNorm(), status, v.reason(), 0);
    }
    return new ClientMetricsRow(u.round(), u.clientId(), u.attempt(), u.exampleCount(), m.tokens(), m.steps(),
        m.firstLoss(), m.lastLoss(), m.meanLoss(), m.tokensPerSecond(), m.wallMillis(), v.updateNorm(), status,
        v.reason(), m.skippedSteps());
  }

  public static ClientMetricsRow of(ClientFailure f) {
    return new ClientMetricsRow(f.round(), f.clientId(), f.attempt(), 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 0, Double.NaN, "failed", f.reason(), 0);
  }

  /** The row of a client the round stopped waiting for (the reason says why). */
  public static ClientMetricsRow late(ClientFailure f) {
    return new ClientMetricsRow(f.round(), f.clientId(), f.attempt(), 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 0, Double.NaN, "late", f.reason(), 0);
  }

  /** All rows of a round: verdicts in their order, then failures, then late clients. */
  public static List<ClientMetricsRow> of(UpdateValidator.Result verdicts, List<ClientFailure> failures,
      List<ClientFailure> late) {
    List<ClientMetricsRow> rows = of(verdicts, failures);
    for (ClientFailure f : late) rows.add(late(f));
    return rows;
  }

  /** All rows of a round: verdicts in their order, then failures. */
  public static List<ClientMetricsRow> of(UpdateValidator.Result verdicts, List<ClientFailure> failures) {
    List<ClientMetricsRow> rows = new ArrayList<>();
    for (UpdateValidator.Verdict v : verdicts.verdicts()) rows.add(of(v));
    for (ClientFailure f : failures) rows.add(of(f));
    return rows;
  }
}
