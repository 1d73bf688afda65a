/**
 * Round checkpoints on any Hadoop filesystem, written from the driver without a Spark job.
 *
 * <p>Resume and commit from a round driver:
 * <pre>{@code
 * // hadoopConf: spark.sparkContext().hadoopConfiguration() on the driver
 * CheckpointStore store = new CheckpointStore(config.runDir(), hadoopConf); // also cleans crashed commits
 * OptionalInt last = store.lastCommittedRound();
 * AdapterWeights global = last.isPresent() ? store.loadAdapter(last.getAsInt()) : initialAdapter;
 * if (last.isPresent()) strategy.restoreState(store.loadStrategyState(last.getAsInt()));
 * for (int round = last.orElse(0) + 1; round <= rules.rounds(); round++) { // rules: federation's RoundRules
 *   ... plan, train, validate, aggregate (see io.fedit.federation) ...
 *   store.commit(RoundCheckpoint.builder(round).runName(config.run().name()).strategy(strategy.name())
 *       .global(agg.global()).lora(config.lora()).baseModelNameOrPath(config.model().path())
 *       .configYaml(ConfigLoader.toYaml(config)).inputHashes(inputHashes)
 *       // the task failures only: rejections come from verdicts
 *       .clientMetrics(ClientMetricsRow.of(verdicts, failures))
 *       .roundMetrics(RoundMetricsRow.of(round, plan.clientIds().size(), verdicts.accepted(), wallMs, schedulingMs,
 *           trainingMs, aggregationMs))
 *       .clientUpdates(keepClientUpdates ? RoundCheckpoint.adaptersById(verdicts.accepted()) : Map.of())
 *       .strategyState(strategy.state()).build());
 *   global = agg.global();
 * }
 * }</pre>
 * Rounds commit in order, from 1: round 1 starts from the initial adapter (A from the seed, B zero), which is
 * therefore reproducible without being stored; round 0 names only the base model's evaluation
 * ({@code commitBaseEvaluation}), never a committed adapter.
 * The round driver adds the client files its executors wrote into {@code newStagingDir(round)} through the
 * checkpoint's {@link io.fedit.checkpoint.StagedClientFiles} (SCAFFOLD's c_i, kept client updates): the commit
 * takes them in; {@link io.fedit.checkpoint.UpdateFile} is the format of the staged updates the aggregation reads.
 * Analysts read {@code <runDir>/metrics/client_metrics} and {@code <runDir>/metrics/round_metrics} as
 * tables (one Parquet file per committed round), or the {@code adapter.parquet} of any committed round directory.
 */
package io.fedit.checkpoint;
