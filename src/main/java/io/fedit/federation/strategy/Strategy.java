package io.fedit.federation.strategy;

import io.fedit.federation.aggregation.AggregationResult;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;

/**
 * A federated optimisation strategy: it plans each round (clients, seeds and what each client does, its
 * {@link io.fedit.federation.plan.ClientInstructions}) and aggregates the updates. Implementations are pure with
 * respect to their inputs and their own state: no I/O, no Spark, no global random state. A new strategy lives in
 * this package (registered in {@link Strategies}) and composes client instructions; the client side executes them.
 *
 * <p>Strategies with server state (FedAvgM momentum, FedAdam moments, SCAFFOLD control variates) expose
 * it through {@link #state()} as named adapter-shaped tensors; the checkpoint stores it with each round
 * and {@link #restoreState} puts it back on resume, so a resumed run continues bit-exactly.
 */
public interface Strategy {
  /**
   * Which clients train in {@code round}, chosen from the whole client population, with each client's seed and
   * {@link io.fedit.federation.plan.ClientInstructions}: everything the client side needs, so that it reads no
   * federation setting.
   */
  RoundPlan configureRound(int round, List<String> population);

  /** How many clients a round plans to use out of {@code population} (without over-selection's extra draws). */
  int clientsPerRound(int population);

  /**
   * The new global adapter from the validated updates of {@code round} (their tensors wherever they are:
   * {@link UpdateSet}). Failures (and rejected updates)
   * are ordinary inputs; with no usable update the result is {@link AggregationResult#unchanged}.
   */
  AggregationResult aggregate(int round, AdapterWeights global, UpdateSet accepted, List<ClientFailure> failures);

  /** The same with the accepted updates' tensors in memory (tests, tools). */
  default AggregationResult aggregate(int round, AdapterWeights global, List<ClientUpdate> accepted,
      List<ClientFailure> failures) {
    return aggregate(round, global, UpdateSet.inMemory(accepted), failures);
  }

  /** Persistent server state after the last aggregate (name → tensors); empty when stateless. */
  default Map<String, AdapterWeights> state() {
    return Map.of();
  }

  /** Restores what {@link #state()} returned when the round was committed. */
  default void restoreState(Map<String, AdapterWeights> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state, got " + state.keySet());
    }
  }

  /**
   * SCAFFOLD's server control variate c, which every client of the next round needs (zeros of
   * {@code layout}'s shape before the first round); null for strategies without one.
   */
  default AdapterWeights controlVariate(AdapterWeights layout) {
    return null;
  }

  /** The configured strategy name, as in federation.strategy. */
  String name();
}
