package io.fedit.model;

import io.fedit.config.ModelSection;
import java.util.List;

/**
 * Where a client trains, from {@code model.device} and the GPU addresses Spark's resource scheduling gave
 * the task ({@code spark.task.resource.gpu.amount}): a pure function, tested without a GPU.
 *
 * @param gpu the CUDA device index, or -1 for the CPU
 */
public record DeviceChoice(int gpu) {
  public static DeviceChoice of(ModelSection model, List<String> gpuAddresses) {
    boolean haveGpu = gpuAddresses != null && !gpuAddresses.isEmpty();
    switch (model.device()) {
      case "cpu":
        return new DeviceChoice(-1);
      case "gpu":
        if (!haveGpu) {
          throw new IllegalStateException("model.device is gpu but Spark assigned this task no GPU; set "
              + "spark.executor.resource.gpu.amount and spark.task.resource.gpu.amount");
        }
        return new DeviceChoice(parse(gpuAddresses.get(0)));
      default: // auto
        return new DeviceChoice(haveGpu ? parse(gpuAddresses.get(0)) : -1);
    }
  }

  /** The device of the running Spark task (CPU outside a task), from the GPU addresses Spark gave it. */
  public static DeviceChoice forTask(ModelSection model, org.apache.spark.TaskContext ctx) {
    if (ctx == null) return of(model, List.of());
    scala.Option<org.apache.spark.resource.ResourceInformation> gpu = ctx.resources().get("gpu");
    return of(model, gpu.isDefined() ? List.of(gpu.get().addresses()) : List.of());
  }

  private static int parse(String address) {
    try {
      return Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("GPU address '" + address + "' from Spark's resource discovery is not a device index");
    }
  }

  /**
   * Refuses a GPU this JVM's engine cannot see ({@code visibleGpus}: the PyTorch engine's CUDA device count; 0 with
   * the CPU libtorch or without a driver), in one line, before a model is loaded onto it: a discovery script that
   * names a GPU the executor has no CUDA for would otherwise surface as an engine stack trace.
   */
  public void requireUsable(int visibleGpus) {
    if (!isGpu() || gpu < visibleGpus) return;
    throw new ModelException("model.device asks for " + this + " but this executor's PyTorch engine sees "
        + (visibleGpus == 0 ? "no CUDA device (a CPU libtorch, or no NVIDIA driver)" : visibleGpus + " CUDA devices")
        + "; use model.device auto or cpu, or run on executors with a CUDA libtorch (docs/CLUSTER.md, 'GPU executors')");
  }

  /** {@link #requireUsable(int)} against the engine of this JVM (starts the engine; call on the executor). */
  public void requireUsable() {
    if (isGpu()) requireUsable(ai.djl.engine.Engine.getInstance().getGpuCount());
  }

  public boolean isGpu() {
    return gpu >= 0;
  }

  @Override
  public String toString() {
    return isGpu() ? "gpu(" + gpu + ")" : "cpu";
  }
}
