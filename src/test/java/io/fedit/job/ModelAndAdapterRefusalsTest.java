package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.RoundCheckpoint;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.config.LoraSection;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.ModelWeights;
import io.fedit.round.InputHashes;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong model and adapter files through the CLI: each is refused with exit 3 and one line naming the file and the
 * key or tensor, never generated from (a NaN adapter once gave empty text and exit 0) and never a stack trace.
 */
class ModelAndAdapterRefusalsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final LoraSection LORA = new LoraSection(4, 8, 0, List.of("q_proj", "v_proj"), false);
  @TempDir Path tmp;

  /** exit code, then stdout + stderr of one CLI call. */
  record Outcome(int exit, String out, String err) {
    void assertOneLineRefusal(int code, String... mentions) {
      assertEquals(code, exit, this::toString);
      List<String> lines = err.lines().filter(l -> l.startsWith("fedit: ")).toList();
      assertEquals(1, lines.size(), this::toString);
      for (String m : mentions) assertTrue(lines.get(0).contains(m), m + " in " + lines.get(0));
      assertFalse((out + err).lines().anyMatch(l -> l.strip().startsWith("at ")), "no stack trace: " + this);
    }
  }

  static Outcome cli(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = FeditCli.run(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static AdapterWeights randomAdapter(long seed) throws Exception {
    AdapterWeights init = AdapterFactory.create(ModelWeights.load(TestPaths.tinyModel()).config(), LORA, 3);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    Random rnd = new Random(seed);
    init.tensors().forEach((k, t) -> {
      float[] v = t.values().clone();
      for (int i = 0; i < v.length; i++) v[i] += (float) (rnd.nextGaussian() * 0.3);
      m.put(k, new AdapterWeights.Tensor(t.shape(), v));
    });
    return new AdapterWeights(m);
  }

  static String[] generate(Path model, String... more) {
    List<String> a = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", "Once",
        "--template", "none", "--max-new-tokens", "8", "--temperature", "0"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void aNanAdapterIsRefusedNotGeneratedFrom() throws Exception {
    AdapterWeights w = randomAdapter(1);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>(w.tensors());
    String name = m.keySet().stream().filter(k -> k.contains("layers.2") && k.contains("lora_B")).findFirst().orElseThrow();
    float[] v = m.get(name).values().clone();
    v[1] = Float.NaN;
    m.put(name, new AdapterWeights.Tensor(m.get(name).shape(), v));
    Path peft = GenerateCommandTest.writePeft(tmp.resolve("nan"), new AdapterWeights(m));
    cli(generate(TestPaths.tinyModel(), "--adapter", peft.toString()))
        .assertOneLineRefusal(ExitCodes.BAD_DATA, "'" + name + "'", "NaN", "adapter_model.safetensors");
  }

  @Test
  void loraAlphaAndRMustBeNumbers() throws Exception {
    Path peft = GenerateCommandTest.writePeft(tmp.resolve("alpha"), randomAdapter(2));
    Path cfg = peft.resolve("adapter_config.json");
    for (String[] edit : new String[][] {{"lora_alpha", "\"sixteen\""}, {"lora_alpha", "\"16\""}, {"lora_alpha", "true"},
        {"r", "\"four\""}, {"r", "4.5"}, {"r", "-4"}}) {
      ObjectNode c = (ObjectNode) JSON.readTree(cfg.toFile());
      c.set(edit[0], JSON.readTree(edit[1]));
      Files.writeString(cfg, c.toString());
      cli(generate(TestPaths.tinyModel(), "--adapter", peft.toString()))
          .assertOneLineRefusal(ExitCodes.BAD_DATA, "'" + edit[0] + "'", "adapter_config.json");
      Files.writeString(cfg, "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}");
    }
    assertEquals(0, cli(generate(TestPaths.tinyModel(), "--adapter", peft.toString())).exit());
  }

  @Test
  void aBosOutsideTheVocabularyIsRefusedBeforeTheEngineSeesIt() throws Exception {
    Path model = tmp.resolve("bad-bos");
    Files.createDirectories(model);
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.copy(TestPaths.tinyModel().resolve(f), model.resolve(f));
    }
    ObjectNode c = (ObjectNode) JSON.readTree(model.resolve("config.json").toFile());
    c.put("bos_token_id", 4096);
    Files.writeString(model.resolve("config.json"), c.toString());
    cli(generate(model)).assertOneLineRefusal(ExitCodes.BAD_DATA, "'bos_token_id'", "4096", "vocab_size 512");
  }

  /** Commits round 1 of run "exp" on the tiny model; returns the common CLI settings. */
  private String[] commitRound() throws Exception {
    Path model = TestPaths.tinyModel();
    RunConfig cfg = Configs.forTest(tmp.resolve("runs"), "run.name=exp", "model.path=" + model);
    Configuration conf = new Configuration();
    Map<String, String> hashes = Map.of("base_model", InputHashes.model(model.toString(), conf));
    new CheckpointStore(cfg.runDir(), conf).commit(RoundCheckpoint.builder(1).runName("exp").strategy("fedavg")
        .global(randomAdapter(3)).lora(LORA).baseModelNameOrPath(model.toString()).inputHashes(hashes)
        .roundMetrics(RoundMetricsRow.of(1, 0, List.of(), 0, 0, 0, 0)).build());
    return new String[] {"--set", "output.dir=" + tmp.resolve("runs"), "--set", "run.name=exp", "--set",
        "model.path=" + model, "--set", "data.path=" + TestPaths.dollyTrain()};
  }

  /**
   * A weight of a committed round's peft/ changed in place, as a copy without Hadoop's .crc files (or HDFS, which
   * keeps none) leaves it: same size, other bytes.
   */
  private static Path tamper(Path peft) throws Exception {
    Path weights = peft.resolve("adapter_model.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.seek(f.length() - 2);
      f.write(new byte[] {0x10, 0x3f});
    }
    Files.deleteIfExists(peft.resolve(".adapter_model.safetensors.crc"));
    return weights;
  }

  @Test
  void aTamperedPeftFileOfACommittedRoundIsDetectedByGenerateEvaluateAndExport() throws Exception {
    String[] settings = commitRound();
    Path peft = tmp.resolve("runs/exp/rounds/round-00001/peft");
    assertEquals(0, cli(generate(TestPaths.tinyModel(), "--adapter", peft.toString())).exit(), "untouched: accepted");
    tamper(peft);

    cli(generate(TestPaths.tinyModel(), "--adapter", peft.toString()))
        .assertOneLineRefusal(ExitCodes.BAD_DATA, "adapter_model.safetensors", "manifest");

    List<String> export = new ArrayList<>(List.of("export"));
    export.addAll(List.of(settings));
    export.addAll(List.of("--out", tmp.resolve("out").toString()));
    cli(export.toArray(String[]::new)).assertOneLineRefusal(ExitCodes.BAD_DATA, "adapter_model.safetensors");
    assertFalse(Files.exists(tmp.resolve("out")));

    LocalSpark.get(); // the command finds this session (and stops it)
    List<String> evaluate = new ArrayList<>(List.of("evaluate", "--no-generate", "--adapter", peft.toString()));
    evaluate.addAll(List.of(settings));
    evaluate.addAll(List.of("--output", tmp.resolve("eval-out").toString()));
    cli(evaluate.toArray(String[]::new)).assertOneLineRefusal(ExitCodes.BAD_DATA, "adapter_model.safetensors", "manifest");
    assertFalse(Files.exists(tmp.resolve("eval-out")));
  }

  @Test
  void gpuWithoutGpuResourcesIsOneLineBeforeAnyWork() throws Exception {
    List<String> train = new ArrayList<>(List.of("train"));
    for (String s : new String[] {"output.dir=" + tmp.resolve("runs"), "run.name=gpu", "model.path=" + TestPaths.tinyModel(),
        "data.path=" + TestPaths.dollyTrain(), "model.device=gpu"}) {
      train.add("--set");
      train.add(s);
    }
    LocalSpark.get();
    cli(train.toArray(String[]::new)).assertOneLineRefusal(ExitCodes.USAGE, "model.device", "gpu",
        "spark.task.resource.gpu.amount");
    assertFalse(Files.exists(tmp.resolve("runs/gpu/data")), "nothing prepared");
  }

  @Test
  void trainRefusesANanBaseModelBeforePrepareWithExit3() throws Exception {
    Path model = tmp.resolve("nan-base");
    Files.createDirectories(model);
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.copy(TestPaths.tinyModel().resolve(f), model.resolve(f));
    }
    String tensor = "model.layers.4.self_attn.v_proj.weight";
    long at;
    try (var r = io.fedit.safetensors.SafetensorsReader.open(model.resolve("model.safetensors"))) {
      at = r.dataStart() + r.info(tensor).begin() + 4 * 10;
    }
    try (RandomAccessFile f = new RandomAccessFile(model.resolve("model.safetensors").toFile(), "rw")) {
      f.seek(at);
      f.write(new byte[] {0, 0, (byte) 0xc0, 0x7f}); // float32 NaN, little-endian
    }
    List<String> train = new ArrayList<>(List.of("train"));
    for (String s : new String[] {"output.dir=" + tmp.resolve("runs"), "run.name=nan", "model.path=" + model,
        "data.path=" + TestPaths.dollyTrain()}) {
      train.add("--set");
      train.add(s);
    }
    LocalSpark.get();
    cli(train.toArray(String[]::new)).assertOneLineRefusal(ExitCodes.BAD_DATA, "'" + tensor + "'", "NaN",
        "model.safetensors");
    assertFalse(Files.exists(tmp.resolve("runs/nan/data")), "nothing prepared");
  }
}
