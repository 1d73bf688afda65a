package io.fedit.federation;

import io.fedit.config.RunConfig;

/** Builds the strategy named by federation.strategy: the one place a new strategy is registered. */
public final class Strategies {
  private Strategies() {}

  public static Strategy fromConfig(RunConfig config) {
    String name = config.federation().strategy();
    return switch (name) {
      case "fedavg" -> FedAvg.fromConfig(config.federation(), config.run().seed());
      default -> throw new IllegalArgumentException("federation.strategy '" + name + "' is not implemented");
    };
  }
}
