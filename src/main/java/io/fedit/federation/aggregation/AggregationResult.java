package io.fedit.federation.aggregation;

import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * The outcome of aggregating a round.
 *
 * @param global        the new global adapter (the old one itself when nothing usable arrived)
 * @param changed       false when the global adapter was kept as it was
 * @param totalExamples Σ n_k over the updates used
 * @param usedClients   ids of the clients whose updates went into the new global
 * @param note          one line for the log ("averaged 3 updates", "no usable update: 2 failures")
 */
public record AggregationResult(
    AdapterWeights global, boolean changed, long totalExamples, List<String> usedClients, String note) {
  public AggregationResult {
    usedClients = List.copyOf(usedClients);
  }

  public static AggregationResult unchanged(AdapterWeights global, String note) {
    return new AggregationResult(global, false, 0, List.of(), note);
  }
}
