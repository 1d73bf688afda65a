/**
 * Held-out evaluation of a base model with or without a LoRA adapter, as a Spark job
 * ({@link io.fedit.eval.Evaluator}). Layer: after client (it reuses the training tokenization), before
 * federation; checkpoint and round call it and store its rows.
 *
 * <p><b>Flow.</b> eval records ({@link io.fedit.eval.EvalSets}: instruction data validated like training
 * data, or Vicuna questions) get ids 0..n-1 in (file, line) order on the driver → spread over tasks →
 * each task, with the base model cached per executor JVM ({@link io.fedit.model.ModelCache}), scores every
 * record alone (batch 1, so a record's numbers never depend on its neighbours) and optionally answers it
 * greedily ({@link io.fedit.eval.RecordScorer}) → the driver sorts the per-record results by id and sums
 * them per category ({@link io.fedit.eval.EvalAggregator}): the result does not depend on the partitioning.
 *
 * <p><b>Tables.</b> {@link io.fedit.eval.EvalTables} owns metrics/eval_metrics and metrics/eval_generations.
 */
package io.fedit.eval;
