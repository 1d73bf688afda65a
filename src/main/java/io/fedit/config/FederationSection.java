package io.fedit.config;

import java.util.List;

/**
 * The federated schedule (rounds, clients per round) and the strategy with its settings. The server
 * optimizer keys follow Reddi et al. 2021 ("Adaptive Federated Optimization"): server learning rate eta,
 * beta1, beta2 and the adaptivity tau; FedAvgM (Hsu et al. 2019) uses server_lr and server_momentum.
 *
 * @param serverLr       server learning rate (fedavgm, fedadam, fedyogi, fedadagrad, scaffold; and fedavg
 *                       under differential privacy, where the update is applied as x + server_lr · mean delta)
 * @param serverMomentum fedavgm's momentum beta, in [0, 1)
 * @param serverBeta1    first-moment decay of fedadam/fedyogi/fedadagrad, in [0, 1)
 * @param serverBeta2    second-moment decay of fedadam/fedyogi, in [0, 1)
 * @param serverTau      adaptivity tau > 0 (also the initial sqrt(v), as in the paper's v_{-1} = tau^2)
 * @param proxMu         fedprox's mu > 0: the client loss gets mu/2 · ||w − w_global||^2 on the LoRA tensors
 * @param ffaLora        FFA-LoRA: clients keep every lora_A at its initial value and train only lora_B
 * @param roundDeadline  how long a round waits for its clients' training (from the moment its Spark job is
 *                       submitted); clients not finished by then are recorded {@code late}; NONE = no limit
 * @param overSelection  extra clients sampled beyond the planned number, of which the first to finish are kept:
 *                       below 1 a fraction of the planned number (0.3 = 30% more, rounded up), from 1 a whole
 *                       count of clients; 0 = none
 * @param aggregation    how the accepted deltas become one: mean (example-weighted, the default) | median |
 *                       trimmed_mean | norm_bounded | krum (docs/ALGORITHMS.md, "Aggregation on Spark")
 * @param trimBeta       trimmed_mean: share in [0, 0.5) of the deltas dropped at EACH end of every coordinate
 * @param normBound      norm_bounded: each client's delta is scaled to this L2 norm at most before the mean (> 0)
 * @param krumByzantine  krum: how many attackers f to tolerate (a client's score sums its K − f − 2 nearest)
 * @param aggregationBlockValues coordinates per block of the distributed aggregation (one Spark task each); a
 *                       task holds this many values of every accepted client at once
 */
public record FederationSection(
    int rounds,
    double clientFraction,
    int minClients,
    String strategy,
    double serverLr,
    double serverMomentum,
    double serverBeta1,
    double serverBeta2,
    double serverTau,
    double proxMu,
    boolean ffaLora,
    TimeLimit roundDeadline,
    double overSelection,
    String aggregation,
    double trimBeta,
    double normBound,
    int krumByzantine,
    int aggregationBlockValues) implements java.io.Serializable {
  public static final List<String> STRATEGIES =
      List.of("fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad", "fedprox", "scaffold");
  public static final List<String> AGGREGATIONS = List.of("mean", "median", "trimmed_mean", "norm_bounded", "krum");

  public FederationSection {
    Require.positive("federation.rounds", rounds);
    if (!(clientFraction > 0 && clientFraction <= 1)) {
      throw new IllegalArgumentException(
          "federation.client_fraction must be in (0, 1], got " + clientFraction);
    }
    Require.positive("federation.min_clients", minClients);
    strategy = Require.oneOf("federation.strategy", strategy, STRATEGIES);
    Require.positive("federation.server_lr", serverLr);
    Require.inRange("federation.server_momentum", serverMomentum, 0.0, 1.0);
    Require.inRange("federation.server_beta1", serverBeta1, 0.0, 1.0);
    Require.inRange("federation.server_beta2", serverBeta2, 0.0, 1.0);
    Require.positive("federation.server_tau", serverTau);
    Require.nonNegative("federation.prox_mu", proxMu);
    if (strategy.equals("fedprox") && proxMu == 0) {
      throw new IllegalArgumentException("federation.strategy 'fedprox' needs federation.prox_mu > 0 "
          + "(with 0 it is fedavg), got 0");
    }
    roundDeadline = roundDeadline == null ? TimeLimit.NONE : roundDeadline;
    Require.nonNegative("federation.over_selection", overSelection);
    if (overSelection >= 1 && overSelection != Math.rint(overSelection)) {
      throw new IllegalArgumentException("federation.over_selection must be a fraction below 1 (0.3 = 30% more "
          + "clients) or a whole number of extra clients, got " + overSelection);
    }
    aggregation = Require.oneOf("federation.aggregation", aggregation, AGGREGATIONS);
    if (!(trimBeta >= 0 && trimBeta < 0.5)) {
      throw new IllegalArgumentException("federation.trim_beta must be in [0, 0.5), got " + trimBeta);
    }
    if (!(normBound > 0) || Double.isInfinite(normBound)) {
      throw new IllegalArgumentException("federation.norm_bound must be finite and > 0, got " + normBound);
    }
    Require.nonNegative("federation.krum_byzantine", krumByzantine);
    Require.positive("federation.aggregation_block_values", aggregationBlockValues);
  }

  /**
   * Whether rounds handle stragglers (a deadline or over-selection). Then a round also needs {@code min_clients}
   * accepted updates to commit; without either, one accepted update suffices, as before these settings existed.
   */
  public boolean handlesStragglers() {
    return roundDeadline.isSet() || overSelection > 0;
  }

  /** The number of accepted updates a round needs to commit. */
  public int quorum() {
    return handlesStragglers() ? minClients : 1;
  }

  /**
   * The same settings with another round count and no deadline: what a continued run may change (a deadline
   * decides only which clients a round keeps, and the committed rounds record that decision).
   */
  public FederationSection withRounds(int newRounds) {
    return new FederationSection(newRounds, clientFraction, minClients, strategy, serverLr, serverMomentum,
        serverBeta1, serverBeta2, serverTau, proxMu, ffaLora, TimeLimit.NONE, overSelection, aggregation, trimBeta,
        normBound, krumByzantine, aggregationBlockValues);
  }
}
