package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow") // its own JVM, 1,000 generated tokens; jobs/test --fast leaves it out
class GenerationMemoryTest {
  /**
   * 1,000 generated tokens (4 generations of 250: the tiny model's context is 512) leave the number of live
   * native arrays unchanged, and during a generation the count is the same at every step after the first
   * (the cache replaces its arrays). A per-step leak of even one array would break both. Resident memory is the second,
   * coarser witness (next test).
   */
  @Test
  void nativeMemoryStaysFlatOver1000GeneratedTokens() throws Exception {
    ModelWeights w = ModelWeights.load(TinyModel.dir());
    try (NDManager root = NDManager.newBaseManager(); LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32)) {
      Generator gen = new Generator(model);
      SamplingParams params = new SamplingParams(250, 1.0, 0, 1.0, 42, false);
      gen.generate(new long[] {1}, params, null); // warm-up: allocator caches, JIT
      int before = liveArrays(root);
      List<Integer> perStep = new ArrayList<>();
      int tokens = 0;
      for (int g = 0; g < 4; g++) {
        tokens += gen.generate(new long[] {1}, params, null, id -> perStep.add(liveArrays(root))).length;
      }
      assertEquals(1000, tokens);
      assertEquals(before, liveArrays(root), "live arrays after 1,000 tokens");
      for (int i = 1; i < perStep.size(); i++) {
        if (i % 250 == 0) continue; // first step of a new generation
        assertEquals(perStep.get(i - 1), perStep.get(i), "live arrays grew at step " + i);
      }
    }
  }

  /**
   * The coarser witness, in a JVM of its own with a fixed-size heap: in this shared test JVM the resident
   * set also moves with heap resizing and with what earlier tests left behind (122-139 MB seen at random).
   */
  @Test
  void residentNativeMemoryStaysFlatOver1000GeneratedTokensInAFreshJvm() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true", "-Dproject.root=" + System.getProperty("project.root", "."),
        "-cp", System.getProperty("java.class.path"), GenerationMemoryProbe.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    String[] line = out.lines().filter(l -> l.startsWith("NATIVE ")).findFirst().orElseThrow().split(" ");
    long grown = Long.parseLong(line[2]) - Long.parseLong(line[1]);
    assertTrue(grown < 64 * 1024, "native memory grew by " + grown + " kB over 1,000 tokens:\n" + out);
  }

  /** NDArrays (not managers) reachable from {@code m}. */
  static int liveArrays(NDManager m) {
    try {
      Field f = BaseNDManager.class.getDeclaredField("resources");
      f.setAccessible(true);
      int n = 0;
      for (Object r : ((Map<?, ?>) f.get(m)).values()) {
        n += r instanceof NDManager sub ? liveArrays(sub) : 1;
      }
      return n;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
