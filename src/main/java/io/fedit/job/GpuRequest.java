package io.fedit.job;

import io.fedit.config.ConfigException;
import io.fedit.config.ModelSection;
import org.apache.spark.SparkConf;

/**
 * {@code model.device: gpu} makes every task need a GPU that Spark assigned it; without
 * {@code spark.task.resource.gpu.amount} no task ever gets one, so every client would fail after prepare. Checked on
 * the driver before any work, in one line (exit 2). Whether an assigned GPU is usable is the executor's check
 * ({@link io.fedit.model.DeviceChoice#requireUsable()}).
 */
final class GpuRequest {
  static final String TASK_GPU_AMOUNT = "spark.task.resource.gpu.amount";

  private GpuRequest() {}

  static void requireSchedulable(ModelSection model, SparkConf spark) {
    if (!model.device().equals("gpu")) return;
    double amount;
    try {
      amount = Double.parseDouble(spark.get(TASK_GPU_AMOUNT, "0").trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(TASK_GPU_AMOUNT + " must be a number, got '" + spark.get(TASK_GPU_AMOUNT) + "'");
    }
    if (!(amount > 0)) {
      throw new ConfigException("model.device is gpu but Spark gives tasks no GPU (" + TASK_GPU_AMOUNT + " is not set):"
          + " set it and spark.executor.resource.gpu.amount with a discovery script (docs/CLUSTER.md, 'GPU executors'), or use"
          + " model.device auto or cpu");
    }
  }
}
