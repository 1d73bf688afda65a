package io.fedit.federation;

import io.fedit.config.FederationSection;
import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * FedAvg as FedIT uses it: the new global adapter is the example-weighted mean of the accepted client
 * adapters (n_k / Σ n_k). Stateless. The averaging itself is {@link WeightedAverage}.
 */
public final class FedAvg implements Strategy {
  private final ClientSampler sampler;

  public FedAvg(ClientSampler sampler) {
    this.sampler = sampler;
  }

  public static FedAvg fromConfig(FederationSection federation, long seed) {
    return new FedAvg(ClientSampler.fromConfig(seed, federation));
  }

  @Override
  public RoundPlan configureRound(int round, List<String> population) {
    return sampler.plan(round, population);
  }

  @Override
  public AggregationResult aggregate(
      int round, AdapterWeights global, List<ClientUpdate> accepted, List<ClientFailure> failures) {
    AggregationResult nothing = AggregationGuard.unchangedOrCheck(round, global, accepted, failures);
    if (nothing != null) return nothing;
    AdapterWeights averaged = WeightedAverage.byExampleCount(accepted);
    long total = accepted.stream().mapToLong(ClientUpdate::exampleCount).sum();
    return new AggregationResult(averaged, true, total,
        accepted.stream().map(ClientUpdate::clientId).toList(),
        "round " + round + ": averaged " + accepted.size() + " updates over " + total + " examples, "
            + failures.size() + " failures");
  }

  @Override
  public String name() {
    return "fedavg";
  }
}
