/**
 * Federated strategies: {@link io.fedit.federation.strategy.Strategy} plans rounds (clients, seeds and each client's
 * {@link io.fedit.federation.plan.ClientInstructions}) and aggregates their updates;
 * {@link io.fedit.federation.strategy.Strategies} builds the configured one and is where a new strategy is
 * registered. {@link io.fedit.federation.strategy.FedAvg}, {@link io.fedit.federation.strategy.DeltaStrategy} (an
 * aggregator and a server optimizer: FedAvgM, FedAdam, FedYogi, FedAdagrad, FedProx, DP-FedAvg) and
 * {@link io.fedit.federation.strategy.Scaffold}. A new strategy touches this package (and its tests) only, as long as
 * its clients need no new kind of instruction. Pure: no I/O, no Spark, no global random state.
 */
package io.fedit.federation.strategy;
