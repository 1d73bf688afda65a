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
    if (accepted.isEmpty()) {
      return AggregationResult.unchanged(global,
          "round " + round + ": no usable update (" + failures.size() + " failures), global adapter kept");
    }
    for (ClientUpdate u : accepted) {
      // The validator should have caught these; a strategy never trusts its caller with the layout.
      String mismatch = global.layoutMismatch(u.adapter());
      if (mismatch != null) throw new IllegalArgumentException(u.key() + ": " + mismatch);
      if (u.round() != round) throw new IllegalArgumentException(u.key() + " passed to aggregate of round " + round);
    }
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
