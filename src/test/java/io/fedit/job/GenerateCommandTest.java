package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelWeights;
import io.fedit.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  static final Path MODEL = Path.of(System.getProperty("project.root", "."), "data", "stories260K-hf");
  @TempDir Path tmp;

  static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, new CommandLine(new GenerateCommand()).execute(args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void greedyFromBosPrintsTheReferenceByteForByte() throws Exception {
    String out = run("--model", MODEL.toString(), "--prompt", "", "--max-new-tokens", "256", "--temperature", "0",
        "--template", "none");
    assertEquals(Files.readString(MODEL.resolve("expected_greedy_256.txt"), StandardCharsets.UTF_8), out);
  }

  @Test
  void peftAdapterDirectoryChangesSampledOutputAndZeroAdapterDoesNot() throws Exception {
    LlamaConfig c = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(MODEL.toUri()), new org.apache.hadoop.conf.Configuration());
    AdapterWeights zero = AdapterFactory.create(c, new LoraSection(4, 8, 0, List.of("q_proj", "v_proj"), false), 1);
    Map<String, AdapterWeights.Tensor> big = new LinkedHashMap<>();
    Random rnd = new Random(3);
    zero.tensors().forEach((k, t) -> {
      float[] v = new float[t.values().length];
      for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
      big.put(k, new AdapterWeights.Tensor(t.shape(), v));
    });
    String[] base = {"--model", MODEL.toString(), "--prompt", "Once upon a time", "--template", "none",
        "--max-new-tokens", "40", "--temperature", "0.8", "--top-k", "40", "--top-p", "0.9", "--seed", "5"};
    String plain = run(base);
    assertEquals(plain, run(concat(base, "--adapter", writePeft(tmp.resolve("zero"), zero).toString())));
    assertNotEquals(plain, run(concat(base, "--adapter", writePeft(tmp.resolve("big"), new AdapterWeights(big)).toString())));
    assertTrue(plain.length() > 10, plain);
  }

  static Path writePeft(Path dir, AdapterWeights w) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("adapter_config.json"),
        "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}");
    try (OutputStream out = Files.newOutputStream(dir.resolve("adapter_model.safetensors"))) {
      io.fedit.checkpoint.PeftExport.writeTensors(out, w.tensors(), Map.of("format", "pt"));
    }
    return dir;
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
