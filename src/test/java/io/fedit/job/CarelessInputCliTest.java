package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterFactory;
import io.fedit.model.ModelWeights;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §5: careless input through the command line gets its documented exit code and one line that
 * names the file or key, never a stack trace as the only message (items 2, 3, 5, 6, 9).
 */
class CarelessInputCliTest {
  @TempDir Path dir;

  static {
    // Logging must be set up before a test swaps System.err, or log4j's console would write into the capture.
    org.slf4j.LoggerFactory.getLogger(CarelessInputCliTest.class).debug("logging ready");
  }

  /** Exit code and what the CLI printed on stderr (logs go elsewhere: log4j keeps the original stream). */
  record Result(int code, String err) {
    void isOneLine(int expectedCode, String... fragments) {
      assertEquals(expectedCode, code, err);
      assertEquals(1, err.strip().lines().count(), "one line: " + err);
      assertFalse(err.contains("\tat ") || err.contains("Exception:"), "no stack trace or exception class: " + err);
      for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
    }
  }

  static Result cli(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = FeditCli.run(args);
      return new Result(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  /** A copy of the tiny model whose model.safetensors {@code damage} changes. */
  Path brokenModel(String name, Damage damage) throws IOException {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(TestPaths.tinyModel())) {
      for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    Path st = copy.resolve("model.safetensors");
    Files.write(st, damage.apply(Files.readAllBytes(st)));
    return copy;
  }

  interface Damage {
    byte[] apply(byte[] file);
  }

  static byte[] truncated(byte[] b) {
    return java.util.Arrays.copyOf(b, b.length / 2);
  }

  static byte[] hugeHeaderLength(byte[] b) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    return b;
  }

  @Test
  void configurationMistakesExit2WithTheKey() {
    cli("prepare", "--set", "lora.r=8.5").isOneLine(ExitCodes.USAGE, "'lora.r': expected an integer, got 8.5");
    cli("train", "--set", "run.name=*m").isOneLine(ExitCodes.USAGE, "YAML alias '*m'");
  }

  @Test
  void roundZeroOrNegativeIsAUsageError() {
    cli("round", "--round", "0").isOneLine(ExitCodes.USAGE, "--round must be a round number >= 1, got 0");
    cli("round", "--round", "-2").isOneLine(ExitCodes.USAGE, "got -2");
  }

  @Test
  void corruptModelFilesExit3WithOneLineNamingTheFile() throws IOException {
    Path cut = brokenModel("cut", CarelessInputCliTest::truncated);
    cli("generate", "--model", cut.toString(), "--max-new-tokens", "2")
        .isOneLine(ExitCodes.BAD_DATA, "fedit: bad input: ", cut.resolve("model.safetensors").toString(), "is truncated");
    Path huge = brokenModel("huge", CarelessInputCliTest::hugeHeaderLength);
    cli("generate", "--model", huge.toString(), "--max-new-tokens", "2")
        .isOneLine(ExitCodes.BAD_DATA, "implausible header length");
  }

  @Test
  void aStaleHadoopChecksumFileExits3AndSaysWhatItMeans() throws IOException {
    Path model = brokenModel("crc", b -> b);
    // Written through Hadoop's local filesystem, config.json gets a .config.json.crc sidecar ...
    FileSystem local = FileSystem.getLocal(new Configuration());
    byte[] config = Files.readAllBytes(model.resolve("config.json"));
    Files.delete(model.resolve("config.json"));
    try (OutputStream out = local.create(new org.apache.hadoop.fs.Path(model.resolve("config.json").toUri()))) {
      out.write(config);
    }
    assertTrue(Files.exists(model.resolve(".config.json.crc")));
    // ... that no longer matches once someone edits the file by hand.
    Files.writeString(model.resolve("config.json"), Files.readString(model.resolve("config.json")).replace(": ", ":  "));
    cli("generate", "--model", model.toString(), "--max-new-tokens", "2")
        .isOneLine(ExitCodes.BAD_DATA, "config.json", ".crc");
  }

  @Test
  void anAdapterWhoseRDisagreesWithItsTensorsIsRefused() throws Exception {
    var config = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(TestPaths.tinyModel().toUri()), new Configuration());
    Path peft = GenerateCommandTest.writePeft(dir.resolve("peft"),
        AdapterFactory.create(config, new LoraSection(4, 8, 0, List.of("q_proj", "v_proj"), false), 1));
    String[] generate = {"generate", "--model", TestPaths.tinyModel().toString(), "--max-new-tokens", "2",
        "--adapter", peft.toString()};
    assertEquals(ExitCodes.OK, cli(generate).code(), "r = 4 matches the tensors");

    Path cfg = peft.resolve("adapter_config.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"r\": 4", "\"r\": 8"));
    cli(generate).isOneLine(ExitCodes.BAD_DATA, "adapter_config.json r 8", "lora_A.weight' has shape [4, 64]",
        "does not fit r = 8");

    Files.writeString(cfg, Files.readString(cfg).replace("\"r\": 8", "\"r\": 4").replace("\"v_proj\"", "\"k_proj\""));
    cli(generate).isOneLine(ExitCodes.BAD_DATA, "target_modules [k_proj, q_proj]", "adapts v_proj, not in target_modules");
  }

  @Test
  void trainWithABrokenBaseModelExits3BeforePreparing() throws IOException {
    Path cut = brokenModel("cut", CarelessInputCliTest::truncated);
    Path runs = dir.resolve("runs");
    LocalSpark.get(); // train finds this session (and stops it)
    cli("train", "--set", "model.path=" + cut, "--set", "output.dir=" + runs,
        "--set", "data.path=" + TestPaths.dollySample(dir, 50))
        .isOneLine(ExitCodes.BAD_DATA, cut.resolve("model.safetensors").toString(), "is truncated");
    assertFalse(Files.exists(runs.resolve("dolly-fedit/data")), "prepare did not run");
  }
}
