/**
 * Driver-side federated round logic, free of Spark, DJL and I/O: client sampling, update validation,
 * strategies (FedAvg, and DeltaStrategy: a delta aggregator and a server optimizer), DP clipping, noise and
 * accounting, and the weighted average they use. A round driver calls, in order:
 *
 * <pre>{@code
 * Strategy strategy = Strategies.fromConfig(config);          // once per run
 * RoundPlan plan = strategy.configureRound(round, population); // sampled ids + per-client seeds
 * // ... Spark: one task per plan.clientIds(), each returns a ClientUpdate or becomes a ClientFailure ...
 * UpdateValidator.Result verdicts = new UpdateValidator().validateAll(round, global, updates);
 * List<ClientFailure> failed = new ArrayList<>(failures);
 * failed.addAll(verdicts.rejectedAsFailures());
 * AggregationResult agg = strategy.aggregate(round, global, verdicts.accepted(), failed);
 * // The round driver keeps the tensors on the executors instead: each task validates its own update
 * // (UpdateValidator.validate), UpdateValidator.decideAll applies the duplicate rule to the verdicts, and
 * // strategy.aggregate(round, global, updateSet, failed) sees the updates through an UpdateSet, whose
 * // reduce(global, CoordinateRule) the driver computes by coordinate blocks on the executors.
 * // agg.global() is the next global adapter (the old one when nothing usable arrived)
 * }</pre>
 *
 * Every random choice derives from (run seed, round, client) through {@link io.fedit.seeds.Seeds}.
 */
package io.fedit.federation;
