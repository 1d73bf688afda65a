/**
 * The server side of federated training, free of Spark and DJL, in sub-packages from the lowest floor up (each
 * imports only those before it): {@link io.fedit.federation.update} (what clients send, and the coordinate-wise
 * arithmetic over it), {@link io.fedit.federation.plan} (the run's round rules, a round's plan and each client's
 * instructions), {@link io.fedit.federation.sampling}, {@link io.fedit.federation.validation},
 * {@link io.fedit.federation.attack}, {@link io.fedit.federation.aggregation}, {@link io.fedit.federation.server}
 * (server optimizers), {@link io.fedit.federation.privacy} and {@link io.fedit.federation.strategy}. The root
 * holds no classes. No file or network I/O happens here; the one impure part is DP noise (below).
 *
 * <p>A round driver calls, in order:
 * <pre>{@code
 * Strategy strategy = Strategies.fromConfig(config);          // once per run
 * RoundRules rules = RoundRules.of(config);                   // rounds, quorum, deadline, aggregation blocks
 * RoundPlan plan = strategy.configureRound(round, population); // sampled ids, per-client seeds and instructions
 * // ... Spark: one task per plan.clientIds(), each executes plan.instructionsFor(id) (loss terms, trainable
 * //     LoRA arrays, its own state, clipping) and returns a ClientUpdate or becomes a ClientFailure ...
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
 * Every random choice derives from (run seed, round, client) through {@link io.fedit.seeds.Seeds}; DP noise alone
 * comes from the operating system's entropy ({@link io.fedit.federation.privacy.GaussianSource}).
 */
package io.fedit.federation;
