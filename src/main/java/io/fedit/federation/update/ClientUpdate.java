package io.fedit.federation.update;

import io.fedit.client.TrainMetrics;
import io.fedit.lora.AdapterWeights;
import java.io.Serializable;
import java.util.Objects;

/**
 * What one client's training task returns to the driver: its adapter after local training, how many
 * examples it trained on (the FedAvg weight) and its metrics. Under differential privacy the adapter is
 * global + the clipped delta and {@code preClipNorm} the delta's norm before clipping; under SCAFFOLD
 * {@code controlVariate} is the client's new control variate c_i (stored with the round), else null. On the
 * driver of a round both may be null: the tensors stayed on the executor ({@link UpdateSet}). Keyed by (round, clientId, attempt) so
 * that a retried or speculative task is told apart from the first try.
 */
public record ClientUpdate(
    int round, String clientId, int attempt, long exampleCount, AdapterWeights adapter, TrainMetrics metrics,
    double preClipNorm, AdapterWeights controlVariate)
    implements Serializable {

  /** An update without clipping or client state. */
  public ClientUpdate(int round, String clientId, int attempt, long exampleCount, AdapterWeights adapter,
      TrainMetrics metrics) {
    this(round, clientId, attempt, exampleCount, adapter, metrics, Double.NaN, null);
  }

  /** Under DP: the L2 norm of the client's delta before the executor clipped it (NaN: not clipped). */
  public boolean wasClipped(double clipNorm) {
    return preClipNorm > clipNorm;
  }

  public ClientUpdate {
    Objects.requireNonNull(clientId, "clientId");
    // adapter is null only on the driver, for an update whose tensors stayed on its executor (withoutTensors).
    if (round < 0) throw new IllegalArgumentException("round must be >= 0, got " + round);
    if (attempt < 0) throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
    // exampleCount is NOT checked here: an update with 0 examples is a legal result that the
    // UpdateValidator rejects with a reason, instead of an exception on the executor.
  }

  /**
   * The same update without its tensors (adapter and control variate null): what the driver receives when the
   * executor keeps them in the round's staging directory; the numbers stay.
   */
  public ClientUpdate withoutTensors() {
    return new ClientUpdate(round, clientId, attempt, exampleCount, null, metrics, preClipNorm, null);
  }

  /** "client c7 round 3 attempt 0": used in every message about this update. */
  public String key() {
    return "client " + clientId + " round " + round + " attempt " + attempt;
  }
}
