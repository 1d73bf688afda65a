/**
 * One client's local training ({@link io.fedit.client.LocalTrainer}): what each Spark task runs for its client,
 * and the centralized / local-only baselines.
 *
 * <p><b>Pipeline.</b> records -> {@link io.fedit.data.PromptTemplate} -> {@link io.fedit.client.TrainingExample}
 * (BOS + tokens, EOS when it fits, cut at data.cutoff_len, prompt length for train_on_inputs = false) ->
 * {@link io.fedit.client.BatchPlan} (seeded shuffle per epoch, optional length grouping, micro batches packed
 * once as Java arrays, weights pre-scaled by 1 / tokens of the optimizer step) -> per step: forward, weighted
 * token NLL ({@link io.fedit.client.TokenLoss}) + optional {@link io.fedit.client.LossTerm}s, backward per micro
 * batch, {@link io.fedit.client.GradClip}, {@link io.fedit.client.AdamW} at the {@link io.fedit.client.LrSchedule}
 * rate. Metrics: examples = distinct examples (the FedAvg weight), tokens = non-padding positions processed,
 * steps, per-step losses, tokens/s, wall time. {@code evaluate} uses the same masking rule (train_on_inputs).
 *
 * <p><b>Concurrency.</b> DJL's GradientCollector is a JVM-wide lock (a static flag; its zeroGradients() touches
 * every array of the system manager). The trainer never uses it: {@link io.fedit.client.Autograd} switches
 * libtorch's thread-local grad mode on for the training thread, calls backward on that run's loss and reads and
 * zeroes that run's LoRA gradients through {@code ai.djl.pytorch.jni.JniUtils}. Dropout masks come from a
 * per-run seeded generator ({@link io.fedit.client.SeededDropout}), not libtorch's process-wide RNG. So two
 * trainers sharing one model in one JVM give bit for bit what they give one after the other
 * (ConcurrentTrainingTest).
 *
 * <p><b>Threads.</b> Measured on DJL's libtorch 2.7.1 CPU build (OpenMP): {@code JniUtils.setNumThreads} sets the
 * calling thread's OpenMP thread count, which that thread's ops use, plus a process-wide default that threads
 * pick up on their first op (IntraOpThreadsTest). {@code train(..., threads)} sets it on the task thread for the
 * run and restores it after, so it matches the cores Spark gives that task (spark.task.cpus) without changing
 * other tasks already running. The system property {@code ai.djl.pytorch.num_threads} only sets it once, at
 * engine start, for the thread that loads the engine and as the default. Two tasks with 2 threads each on 2
 * cores oversubscribe: give each task spark.task.cpus cores and pass that count.
 *
 * <p><b>Memory.</b> One sub-manager per run, per optimizer step and per micro batch; results of ops whose first
 * operand is long-lived are attached to the step's manager; scalars are long-lived 0-d arrays
 * ({@link io.fedit.client.Scalar}), overwritten in place.
 */
package io.fedit.client;
