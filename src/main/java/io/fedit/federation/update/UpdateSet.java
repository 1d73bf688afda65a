package io.fedit.federation.update;

import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * A round's accepted updates as a strategy sees them: their numbers (client, example count, metrics, norm)
 * always, their tensors only through {@link #reduce}. The tensors may sit in the driver's memory
 * ({@link LocalUpdateSet}: tests, tools) or stay where the clients were trained (the round driver's Spark
 * implementation, which computes a rule by coordinate blocks on the executors): the strategy cannot tell,
 * and both give the same bits.
 */
public interface UpdateSet {
  /** The accepted updates in client id order; their {@code adapter()} may be null (tensors not on the driver). */
  List<ClientUpdate> updates();

  /**
   * ||θ_k − x||₂ over all tensors, per update, in {@link #updates()} order, where x is {@code global}, the
   * round's global adapter (the distributed set returns what the executors measured against it).
   */
  double[] deltaNorms(AdapterWeights global);

  /**
   * The rule applied to every coordinate of the adapters, in the global adapter's tensor order, flattened:
   * the result's value i belongs to the i-th value of the concatenated tensors of {@code global}.
   */
  double[] reduce(AdapterWeights global, CoordinateRule rule);

  /**
   * ||θ_i − θ_j||² for every pair, as a K × K row-major matrix ({@link PairwiseDistances}), summed over
   * coordinate blocks in block order. Deterministic for a given implementation; the in-memory and distributed
   * sets group the sum differently, so they agree to rounding, not bit for bit.
   */
  double[] squaredDistances(AdapterWeights global);

  default int size() {
    return updates().size();
  }

  default boolean isEmpty() {
    return updates().isEmpty();
  }

  /** Σ n_k over the updates. */
  default long totalExamples() {
    return updates().stream().mapToLong(ClientUpdate::exampleCount).sum();
  }

  /** n_k / Σ n_k per update: FedIT's weights. */
  default double[] exampleWeights() {
    double total = 0;
    for (ClientUpdate u : updates()) total += u.exampleCount();
    double[] w = new double[size()];
    for (int k = 0; k < w.length; k++) w[k] = updates().get(k).exampleCount() / total;
    return w;
  }

  /** Updates held in memory with their tensors. */
  static UpdateSet inMemory(List<ClientUpdate> accepted) {
    return new LocalUpdateSet(accepted);
  }
}
