package io.fedit.federation.strategy;

import io.fedit.federation.aggregation.AggregationGuard;
import io.fedit.federation.aggregation.AggregationResult;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * FedAvg as FedIT uses it: the new global adapter is the example-weighted mean of the accepted client
 * adapters (n_k / Σ n_k). Stateless. The same arithmetic as
 * {@link io.fedit.federation.aggregation.WeightedAverage}, as a coordinate rule.
 */
public final class FedAvg implements Strategy {
  private final ClientSampler sampler;
  private final ClientInstructions instructions;

  /** FedAvg whose clients train plainly ({@link ClientInstructions#PLAIN}). */
  public FedAvg(ClientSampler sampler) {
    this(sampler, ClientInstructions.PLAIN);
  }

  /** FedAvg whose clients all follow {@code instructions}. */
  public FedAvg(ClientSampler sampler, ClientInstructions instructions) {
    this.sampler = sampler;
    this.instructions = java.util.Objects.requireNonNull(instructions, "instructions");
  }

  @Override
  public RoundPlan configureRound(int round, List<String> population) {
    return sampler.plan(round, population).instructing(instructions);
  }

  @Override
  public int clientsPerRound(int population) {
    return sampler.sampleSize(population);
  }

  @Override
  public AggregationResult aggregate(
      int round, AdapterWeights global, UpdateSet accepted, List<ClientFailure> failures) {
    AggregationResult nothing = AggregationGuard.unchangedOrCheck(round, global, accepted, failures);
    if (nothing != null) return nothing;
    // Σ (n_k / Σ n) · θ_k in double, rounded once: WeightedAverage's arithmetic, computed where the updates are.
    double[] mean = accepted.reduce(global, CoordinateRule.weightedSum(accepted.exampleWeights()));
    AdapterWeights averaged = AdapterMath.unflatten(global, mean, (t, i, v) -> v);
    long total = accepted.totalExamples();
    return new AggregationResult(averaged, true, total,
        accepted.updates().stream().map(ClientUpdate::clientId).toList(),
        "round " + round + ": averaged " + accepted.size() + " updates over " + total + " examples, "
            + failures.size() + " failures");
  }

  @Override
  public String name() {
    return "fedavg";
  }
}
