package io.fedit.config;

import java.util.List;

/** The federated schedule: rounds, how many clients per round, and the aggregation strategy. */
public record FederationSection(int rounds, double clientFraction, int minClients, String strategy) implements java.io.Serializable {
  public static final List<String> STRATEGIES = List.of("fedavg");

  public FederationSection {
    Require.positive("federation.rounds", rounds);
    if (!(clientFraction > 0 && clientFraction <= 1)) {
      throw new IllegalArgumentException(
          "federation.client_fraction must be in (0, 1], got " + clientFraction);
    }
    Require.positive("federation.min_clients", minClients);
    strategy = Require.oneOf("federation.strategy", strategy, STRATEGIES);
  }
}
