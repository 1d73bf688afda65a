package io.fedit.config;

import java.util.List;

/** The base model: a Hugging Face Llama directory, the compute dtype and the device policy. */
public record ModelSection(String path, String dtype, String device) implements java.io.Serializable {
  public static final List<String> DTYPES = List.of("float32", "float16", "bfloat16");
  public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

  public ModelSection {
    Require.nonBlank("model.path", path);
    dtype = Require.oneOf("model.dtype", dtype, DTYPES);
    device = Require.oneOf("model.device", device, DEVICES);
  }
}
