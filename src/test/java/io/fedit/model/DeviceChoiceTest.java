package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.ModelSection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark's GPU addresses (spark.task.resource.gpu.amount) to the device a client trains on. */
class DeviceChoiceTest {
  private static ModelSection device(String d) {
    return new ModelSection("m", "float32", d);
  }

  @Test
  void autoUsesTheAssignedGpuElseTheCpu() {
    assertEquals(new DeviceChoice(3), DeviceChoice.of(device("auto"), List.of("3")));
    assertEquals("gpu(3)", DeviceChoice.of(device("auto"), List.of("3")).toString());
    assertEquals("cpu", DeviceChoice.of(device("auto"), List.of()).toString());
    assertEquals("cpu", DeviceChoice.of(device("auto"), null).toString());
  }

  @Test
  void cpuIgnoresGpusAndGpuRequiresOne() {
    assertEquals("cpu", DeviceChoice.of(device("cpu"), List.of("0")).toString());
    assertEquals("gpu(1)", DeviceChoice.of(device("gpu"), List.of("1", "2")).toString());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceChoice.of(device("gpu"), List.of()));
    assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> DeviceChoice.of(device("auto"), List.of("gpu-a")));
    assertTrue(e.getMessage().contains("'gpu-a'"), e.getMessage());
  }

  @Test
  void aGpuTheEngineCannotSeeFailsTheClientWithOneLine() {
    // Spark gave the task a GPU address, but this libtorch (CPU build, or no driver) sees no CUDA device.
    DeviceChoice gpu = DeviceChoice.of(device("gpu"), List.of("0"));
    ModelException e = assertThrows(ModelException.class, () -> gpu.requireUsable(0));
    assertTrue(e.getMessage().contains("model.device") && e.getMessage().contains("gpu(0)")
        && !e.getMessage().contains("\n"), e.getMessage());
    gpu.requireUsable(1);
    DeviceChoice.of(device("cpu"), List.of()).requireUsable(0);
    ModelException past = assertThrows(ModelException.class, () -> DeviceChoice.of(device("gpu"), List.of("2")).requireUsable(2));
    assertTrue(past.getMessage().contains("2 CUDA devices"), past.getMessage());
  }
}
