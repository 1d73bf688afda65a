package io.fedit.federation.strategy;

import io.fedit.federation.aggregation.AggregationGuard;
import io.fedit.federation.aggregation.AggregationResult;
import io.fedit.federation.aggregation.DeltaAggregator;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.server.ServerOptimizer;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;

/**
 * A strategy in two parts: an aggregator that makes one mean delta of the round's updates
 * ({@link io.fedit.federation.aggregation.ExampleWeightedDelta}, or {@link io.fedit.federation.privacy.DpNoisedDelta}
 * under differential privacy) and a server optimizer that applies it ({@link io.fedit.federation.server.ServerSgd},
 * {@link io.fedit.federation.server.ServerMomentum}, {@link io.fedit.federation.server.AdaptiveServerOptimizer}).
 * FedAvgM, FedAdam, FedYogi and FedAdagrad are this class with their optimizer; FedProx and FFA-LoRA change
 * only the clients (their {@link ClientInstructions}) and use SGD with lr 1 here. Its state is the optimizer's.
 */
public class DeltaStrategy implements Strategy {
  private final String name;
  private final ClientSampler sampler;
  private final DeltaAggregator aggregator;
  private final ServerOptimizer optimizer;
  private final ClientInstructions instructions;

  /** The strategy with plainly training clients ({@link ClientInstructions#PLAIN}). */
  public DeltaStrategy(String name, ClientSampler sampler, DeltaAggregator aggregator, ServerOptimizer optimizer) {
    this(name, sampler, aggregator, optimizer, ClientInstructions.PLAIN);
  }

  /** The strategy whose sampled clients all follow {@code instructions}. */
  public DeltaStrategy(String name, ClientSampler sampler, DeltaAggregator aggregator, ServerOptimizer optimizer,
      ClientInstructions instructions) {
    this.name = name;
    this.sampler = sampler;
    this.aggregator = aggregator;
    this.optimizer = optimizer;
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
    // Clients sampled this round: those with an update plus those without (a client counts once).
    java.util.Set<String> ids = new java.util.HashSet<>();
    accepted.updates().forEach(u -> ids.add(u.clientId()));
    failures.forEach(f -> ids.add(f.clientId()));
    int sampled = ids.size();
    AdapterWeights delta = aggregator.meanDelta(global, accepted, sampled);
    AdapterWeights next = optimizer.step(global, delta);
    afterStep(round, global, accepted, sampled);
    long total = accepted.totalExamples();
    return new AggregationResult(next, true, total, accepted.updates().stream().map(ClientUpdate::clientId).toList(),
        "round " + round + ": " + name + " step on the " + aggregator.describe(accepted, sampled) + " over "
            + total + " examples, " + failures.size() + " failures");
  }

  /** Hook for strategies with more server state than the optimizer's (SCAFFOLD's control variate). */
  protected void afterStep(int round, AdapterWeights global, UpdateSet accepted, int sampled) {}

  @Override
  public Map<String, AdapterWeights> state() {
    return optimizer.state();
  }

  @Override
  public void restoreState(Map<String, AdapterWeights> state) {
    optimizer.restoreState(state);
  }

  @Override
  public String name() {
    return name;
  }
}
