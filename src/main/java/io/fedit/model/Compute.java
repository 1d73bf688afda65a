package io.fedit.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** Where and in which dtype the model computes, from the model section's names. */
public record Compute(Device device, DataType dtype) {
  /** "auto" picks the first GPU when the engine sees one, else the CPU; "gpu" without a GPU is an error. */
  public static Device device(String name) {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (gpus == 0) {
          throw new ModelException("model.device is 'gpu' but the PyTorch engine sees no GPU (a CUDA libtorch is needed)");
        }
        yield Device.gpu();
      }
      case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
      default -> throw new ModelException("model.device must be auto, cpu or gpu, got " + name);
    };
  }

  /** float32, float16 or bfloat16. */
  public static DataType dtype(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> DataType.FLOAT16;
      case "bfloat16" -> DataType.BFLOAT16;
      default -> throw new ModelException("model.dtype must be float32, float16 or bfloat16, got " + name);
    };
  }

  /**
   * Fails fast for dtypes the engine cannot take. bfloat16 is accepted although DJL 0.36's PyTorch JNI aborts
   * the whole process on any bfloat16 tensor (even creating one): a bfloat16 model keeps its weights and runs
   * its frozen forward inside a TorchScript module ({@link ScriptedDecoder}), and no bfloat16 array ever
   * reaches DJL.
   */
  public static DataType requireSupported(DataType dtype) {
    if (dtype == DataType.BFLOAT16) return dtype;
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16 && dtype != DataType.FLOAT64) {
      throw new ModelException("compute dtype must be float32, float16, bfloat16 or float64, got " + dtype);
    }
    return dtype;
  }
}
