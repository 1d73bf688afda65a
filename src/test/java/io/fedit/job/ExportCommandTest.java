package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.RoundCheckpoint;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.config.LoraSection;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraAdapter;
import io.fedit.lora.PeftAdapter;
import io.fedit.model.LlamaModel;
import io.fedit.model.LowRankDelta;
import io.fedit.model.ModelWeights;
import io.fedit.round.InputHashes;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsReader;
import io.fedit.testing.Configs;
import io.fedit.testing.FamilyFixtures;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedit export}: PEFT and merged exports of a committed round, sharding, atomicity and refusals. */
class ExportCommandTest {
  static final LoraSection LORA = new LoraSection(4, 8, 0, List.of("q_proj", "k_proj", "o_proj", "down_proj"), false);
  static final long[] IDS = {1, 403, 407, 261, 378, 9, 10, 400, 300, 21};
  @TempDir Path tmp;

  /** Commits round 1 of run "exp" on {@code model} with a random adapter whose B is not zero. */
  private String[] commitRound(Path model) throws Exception {
    RunConfig cfg = Configs.forTest(tmp.resolve("runs"), "run.name=exp", "model.path=" + model);
    ModelWeights w = ModelWeights.load(model);
    AdapterWeights init = AdapterFactory.create(w.config(), LORA, 3);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    Random rnd = new Random(4);
    init.tensors().forEach((k, t) -> {
      float[] v = t.values().clone();
      for (int i = 0; i < v.length; i++) v[i] += (float) (rnd.nextGaussian() * 0.3);
      m.put(k, new AdapterWeights.Tensor(t.shape(), v));
    });
    Configuration conf = new Configuration();
    Map<String, String> hashes = Map.of("base_model", InputHashes.model(model.toString(), conf));
    new CheckpointStore(cfg.runDir(), conf).commit(RoundCheckpoint.builder(1).runName("exp").strategy("fedavg")
        .global(new AdapterWeights(m)).lora(LORA).baseModelNameOrPath(model.toString()).inputHashes(hashes)
        .roundMetrics(RoundMetricsRow.of(1, 0, List.of(), 0, 0, 0, 0)).build());
    return new String[] {"--set", "output.dir=" + tmp.resolve("runs"), "--set", "run.name=exp", "--set", "model.path=" + model};
  }

  static int cli(List<String> err, String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return FeditCli.run(args);
    } finally {
      System.setErr(old);
      err.add(buf.toString(StandardCharsets.UTF_8));
    }
  }

  static String[] args(String[] base, String... more) {
    List<String> a = new ArrayList<>(List.of("export"));
    a.addAll(List.of(base));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static float[] logits(ModelWeights w, LowRankDelta lora, NDManager root) {
    try (LlamaModel m = LlamaModel.create(w, root, DataType.FLOAT32); NDManager step = m.manager().newSubManager()) {
      return m.forward(step.create(IDS, new Shape(1, IDS.length)), lora, false).toFloatArray();
    }
  }

  @Test
  void mergedModelEqualsBasePlusAdapterAndGenerateLoadsIt() throws Exception {
    Path model = TestPaths.tinyModel();
    String[] base = commitRound(model);
    List<String> err = new ArrayList<>();
    Path peftOut = tmp.resolve("peft"), mergedOut = tmp.resolve("merged");
    assertEquals(0, cli(err, args(base, "--out", peftOut.toString())), err.toString());
    assertEquals(0, cli(err, args(base, "--round", "1", "--merged", "--out", mergedOut.toString())), err.toString());
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors")) {
      assertTrue(Files.exists(mergedOut.resolve(f)), f);
    }
    try (Stream<Path> s = Files.list(mergedOut)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "no Hadoop .crc files in an export");
    }
    PeftAdapter peft = PeftAdapter.read(peftOut);
    assertEquals("llama", peft.baseModelType());
    ModelWeights w = ModelWeights.load(model), merged = ModelWeights.load(mergedOut);
    try (NDManager root = NDManager.newBaseManager();
        LoraAdapter lora = LoraAdapter.create(root, w.config(), peft.weights(), peft.scaling(), 0, DataType.FLOAT32)) {
      float[] expected = logits(w, lora, root), got = logits(merged, null, root), plain = logits(w, null, root);
      double diff = 0, moved = 0, scale = 1;
      for (int i = 0; i < got.length; i++) {
        diff = Math.max(diff, Math.abs(got[i] - expected[i]));
        moved = Math.max(moved, Math.abs(plain[i] - expected[i]));
        scale = Math.max(scale, Math.abs(expected[i]));
      }
      assertTrue(moved > 0.1, "the adapter must change the logits for the test to mean anything: " + moved);
      assertTrue(diff < 1e-4 * scale, "merged vs base + adapter differ by " + diff);
    }
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, FeditCli.run("generate", "--model", mergedOut.toString(), "--prompt", "Once", "--template", "none",
          "--max-new-tokens", "5", "--temperature", "0", "--json"));
    } finally {
      System.setOut(old);
    }
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("\"generated_ids\""));
  }

  @Test
  void mergedBf16FamilyIsShardedInItsDtypeAndRefusesANonEmptyOut() throws Exception {
    Path model = FamilyFixtures.write("qwen2", tmp.resolve("qwen2-bf16"), DType.BF16, Long.MAX_VALUE);
    String[] base = commitRound(model);
    List<String> err = new ArrayList<>();
    Path out = tmp.resolve("sharded");
    assertEquals(0, cli(err, args(base, "--merged", "--max-shard-size", "50KB", "--out", out.toString())), err.toString());
    assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
    List<Path> shards;
    try (Stream<Path> s = Files.list(out)) {
      shards = s.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).toList();
    }
    assertTrue(shards.size() >= 3, "shards: " + shards);
    for (Path shard : shards) {
      assertTrue(Files.size(shard) < 50_000 + 4_096 || onlyOneTensor(shard), shard + " exceeds the limit");
      try (SafetensorsReader r = SafetensorsReader.open(shard)) {
        for (String n : r.names()) assertEquals(DType.BF16, r.info(n).dtype(), n);
      }
    }
    Path single = tmp.resolve("single");
    assertEquals(0, cli(err, args(base, "--merged", "--out", single.toString())), err.toString());
    try (NDManager root = NDManager.newBaseManager()) {
      assertArrayEquals(logits(ModelWeights.load(single), null, root), logits(ModelWeights.load(out), null, root));
    }

    byte[] before = Files.readAllBytes(single.resolve("config.json"));
    assertEquals(ExitCodes.USAGE, cli(err, args(base, "--merged", "--out", single.toString())));
    assertTrue(err.get(err.size() - 1).contains("is not an empty directory"), err.get(err.size() - 1));
    assertArrayEquals(before, Files.readAllBytes(single.resolve("config.json")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory is left");
    }
  }

  @Test
  void exportOntoAnotherBaseIsRefused() throws Exception {
    Path qwen = FamilyFixtures.write("qwen2", tmp.resolve("qwen2"));
    String[] base = commitRound(qwen);
    Path mistral = FamilyFixtures.write("mistral", tmp.resolve("mistral"));
    List<String> err = new ArrayList<>();
    base[base.length - 1] = "model.path=" + mistral;
    assertEquals(ExitCodes.BAD_DATA, cli(err, args(base, "--merged", "--out", tmp.resolve("x").toString())));
    assertTrue(err.get(0).contains("trained on another base model"), err.get(0));
    assertFalse(Files.exists(tmp.resolve("x")));

    // The PEFT export records its family: generate refuses it on a Mistral base of the same widths.
    base[base.length - 1] = "model.path=" + qwen;
    Path peft = tmp.resolve("peft");
    assertEquals(0, cli(err, args(base, "--out", peft.toString())), err.toString());
    assertEquals(ExitCodes.BAD_DATA, cli(err, "generate", "--model", mistral.toString(), "--adapter", peft.toString()));
    assertTrue(err.get(err.size() - 1).contains("adapter was trained on a qwen2 model, the base is mistral"),
        err.get(err.size() - 1));
    // adapter_config.json that disagrees with the tensors is refused as PEFT refuses it.
    String cfg = Files.readString(peft.resolve("adapter_config.json"));
    Files.writeString(peft.resolve("adapter_config.json"), cfg.replace("\"r\" : 4", "\"r\" : 8"));
    assertEquals(ExitCodes.BAD_DATA, cli(err, "generate", "--model", qwen.toString(), "--adapter", peft.toString()));
    assertTrue(err.get(err.size() - 1).contains("does not fit r = 8"), err.get(err.size() - 1));
    Files.writeString(peft.resolve("adapter_config.json"), cfg.replace("\"o_proj\", ", ""));
    assertEquals(ExitCodes.BAD_DATA, cli(err, "generate", "--model", qwen.toString(), "--adapter", peft.toString()));
    assertTrue(err.get(err.size() - 1).contains("not in target_modules"), err.get(err.size() - 1));
  }

  /** Issue 21 §2: a committed round is never written into by export; an interrupted export's temporary is removed. */
  @Test
  void exportIntoACommittedRoundIsRefusedAndAnInterruptedExportsLeftoverIsRemoved() throws Exception {
    Path model = FamilyFixtures.write("qwen2", tmp.resolve("qwen2"));
    String[] base = commitRound(model);
    Path round1 = tmp.resolve("runs/exp/rounds/round-00001");
    List<String> err = new ArrayList<>();
    List<String> before;
    try (Stream<Path> s = Files.walk(round1)) {
      before = s.map(Path::toString).sorted().toList();
    }
    for (Path out : List.of(round1.resolve("merged"), round1.resolve("peft/inside"), round1)) {
      assertEquals(ExitCodes.USAGE, cli(err, args(base, "--out", out.toString())), out.toString());
      String line = err.get(err.size() - 1);
      assertTrue(line.contains("committed round") && line.contains("round-00001"), line);
    }
    try (Stream<Path> s = Files.walk(round1)) {
      assertEquals(before, s.map(Path::toString).sorted().toList(), "the committed round is unchanged");
    }

    // An export that died mid-way left its hidden temporary beside --out: the next export removes it.
    Path out = tmp.resolve("exports/peft");
    Path leftover = tmp.resolve("exports/.peft.tmp-" + java.util.UUID.randomUUID());
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("adapter_model.safetensors"), "half");
    assertEquals(0, cli(err, args(base, "--out", out.toString())), err.toString());
    assertTrue(Files.exists(out.resolve("adapter_model.safetensors")));
    try (Stream<Path> s = Files.list(tmp.resolve("exports"))) {
      assertEquals(List.of("peft"), s.map(p -> p.getFileName().toString()).toList(), "no temporary and no lock left");
    }
  }

  private static boolean onlyOneTensor(Path shard) throws Exception {
    try (SafetensorsReader r = SafetensorsReader.open(shard)) {
      return r.names().size() == 1;
    }
  }
}
