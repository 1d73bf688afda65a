package io.fedit.federation.update;

import java.io.Serializable;
import java.util.Objects;

/**
 * A client that was sampled but produced no update (task error, timeout, lost executor). Failures are
 * ordinary results of a round: a strategy sees them, the metrics table records them.
 *
 * @param reason one line saying what went wrong (exception class and message, "timeout after 600 s")
 */
public record ClientFailure(int round, String clientId, int attempt, String reason) implements Serializable {
  public ClientFailure {
    Objects.requireNonNull(clientId, "clientId");
    reason = reason == null ? "unknown failure" : reason;
  }
}
