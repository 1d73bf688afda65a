package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.job.FeditCli;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsReader;
import io.fedit.testing.FamilyFixtures;
import io.fedit.testing.ReferenceDecoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each supported family's tiny fixture (see FamilyFixtures) against the independent float64 reference
 * (ReferenceDecoder, written from transformers' modeling_llama.py / modeling_qwen2.py / modeling_mistral.py
 * and modeling_rope_utils.py): logits of a full forward, and greedy tokens through {@code fedit generate}.
 */
class ModelFamiliesTest {
  static final long[] IDS = {1, 403, 407, 261, 378, 9, 10, 400, 300, 21, 22, 87, 5, 480};
  @TempDir Path tmp;

  static Map<String, float[]> readAll(Path file) throws Exception {
    Map<String, float[]> m = new LinkedHashMap<>();
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      for (String n : r.names()) m.put(n, r.readFloats(n));
    }
    return m;
  }

  static float[] logits(ModelWeights w, long[] ids) {
    try (NDManager root = NDManager.newBaseManager(); LlamaModel m = LlamaModel.create(w, root, DataType.FLOAT32);
        NDManager step = m.manager().newSubManager()) {
      return m.forward(step.create(ids, new Shape(1, ids.length)), null, false).toFloatArray();
    }
  }

  /** max |a - b| over all logits relative to max(1, max |b|). */
  static double relDiff(float[] a, double[][] b) {
    double diff = 0, scale = 1;
    int v = b[0].length;
    for (int t = 0; t < b.length; t++) {
      for (int i = 0; i < v; i++) {
        diff = Math.max(diff, Math.abs(a[t * v + i] - b[t][i]));
        scale = Math.max(scale, Math.abs(b[t][i]));
      }
    }
    return diff / scale;
  }

  @Test
  void everyFamilyMatchesTheReferenceLogitsAndGreedyTokensThroughGenerate() throws Exception {
    for (String family : FamilyFixtures.CONFIGS.keySet()) {
      Path dir = FamilyFixtures.write(family, tmp.resolve(family));
      JsonNode cfg = FamilyFixtures.config(dir);
      ReferenceDecoder ref = new ReferenceDecoder(cfg, readAll(dir.resolve("model.safetensors")));
      ModelWeights w = ModelWeights.load(dir);
      double[][] expected = ref.forward(IDS);
      double d = relDiff(logits(w, IDS), expected);
      assertTrue(d < 2e-5, family + ": logits differ from the reference by " + d + " (relative)");

      JsonNode out = generateJson("--model", dir.toString(), "--prompt", "Once upon a time", "--template", "none",
          "--max-new-tokens", "10", "--temperature", "0", "--no-stop-at-eos", "--json");
      long[] prompt = new ObjectMapper().convertValue(out.get("prompt_ids"), long[].class);
      long[] generated = new ObjectMapper().convertValue(out.get("generated_ids"), long[].class);
      assertEquals(1, prompt[0], "prompt starts with BOS");
      assertArrayEquals(ref.greedy(prompt, 10), generated, family + ": greedy tokens");
      assertEquals("length", out.get("finish_reason").asText());
      assertTrue(out.get("text").isTextual());
    }
  }

  /** Llama 3 lists several EOS ids: generation stops at any, training appends the first. */
  @Test
  void everyEosIdOfAListStopsGeneration() throws Exception {
    LlamaConfig c = ModelWeights.load(FamilyFixtures.write("llama3", tmp.resolve("eos"))).config();
    assertEquals(2, c.eosTokenId());
    assertEquals(java.util.List.of(2, 3), c.stopTokenIds());
    assertTrue(c.isStopToken(3) && c.isStopToken(2) && !c.isStopToken(1));
  }

  /** The rope_scaling kinds really change the model (so the logits test above is not vacuous for them). */
  @Test
  void ropeScalingChangesLogitsExceptDynamicWithinTheContext() throws Exception {
    Path dir = FamilyFixtures.write("llama3", tmp.resolve("l3"));
    ModelWeights w = ModelWeights.load(dir);
    LlamaConfig c = w.config();
    LlamaConfig plain = new LlamaConfig(c.modelType(), c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(),
        c.numKvHeads(), c.headDim(), c.vocabSize(), c.maxPositions(), c.rmsNormEps(), c.ropeTheta(), null,
        c.tieWordEmbeddings(), c.qkvBias(), c.oBias(), c.mlpBias(), 0, 1, 2, null);
    float[] scaled = logits(w, IDS), unscaled = logits(new ModelWeights(plain, w.tensors()), IDS);
    double diff = 0;
    for (int i = 0; i < scaled.length; i++) diff = Math.max(diff, Math.abs(scaled[i] - unscaled[i]));
    assertTrue(diff > 1e-2, "llama3 scaling must change the logits, max diff " + diff);
  }

  @Test
  void shardedAndBf16CheckpointsOfAFamilyLoad() throws Exception {
    Path single = FamilyFixtures.write("qwen2", tmp.resolve("one"));
    ModelWeights w = ModelWeights.load(single);
    Path sharded = FamilyFixtures.write("qwen2", tmp.resolve("sharded"), DType.F32, 100_000);
    assertTrue(Files.exists(sharded.resolve(ModelWeights.INDEX_FILE)));
    assertTrue(!Files.exists(sharded.resolve(ModelWeights.SINGLE_FILE)));
    try (var files = Files.list(sharded)) {
      assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() >= 3);
    }
    ModelWeights ws = ModelWeights.load(sharded);
    assertArrayEquals(logits(w, IDS), logits(ws, IDS));

    Path bf16 = FamilyFixtures.write("qwen2", tmp.resolve("bf16"), DType.BF16, Long.MAX_VALUE);
    ModelWeights wb = ModelWeights.load(bf16);
    assertEquals(DType.BF16, wb.storageDtype());
    ReferenceDecoder ref = new ReferenceDecoder(FamilyFixtures.config(bf16), readAll(bf16.resolve("model.safetensors")));
    double d = relDiff(logits(wb, IDS), ref.forward(IDS));
    assertTrue(d < 2e-5, "bf16 checkpoint: logits differ from the reference on the same weights by " + d);
  }

  @Test
  void mistralSequenceBeyondTheSlidingWindowIsRefused() throws Exception {
    ModelWeights w = ModelWeights.load(FamilyFixtures.write("mistral", tmp.resolve("m")));
    assertEquals(48, w.config().maxSequence());
    ModelException e = assertThrows(ModelException.class, () -> logits(w, new long[49]));
    assertTrue(e.getMessage().contains("sliding_window 48"), e.getMessage());
    assertEquals(48 * 512, logits(w, new long[48]).length);
  }

  @Test
  void unsupportedFeaturesAreRefusedNamingTheField() throws Exception {
    String llama3 = FamilyFixtures.CONFIGS.get("llama3");
    String[][] cases = {
      {llama3.replace("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\""), "rope_scaling type 'yarn' is not supported"},
      {llama3.replace("\"model_type\": \"llama\"", "\"model_type\": \"gemma\""), "unsupported model_type 'gemma'"},
      {llama3.replace("\"use_cache\"", "\"num_local_experts\": 8, \"use_cache\""), "'num_local_experts' (mixture of experts)"},
      {llama3.replace("LlamaForCausalLM", "Qwen2ForCausalLM"), "architecture 'Qwen2ForCausalLM'"},
      {llama3.replace("\"use_cache\"", "\"partial_rotary_factor\": 0.5, \"use_cache\""), "'partial_rotary_factor'"},
      {llama3.replace(", \"low_freq_factor\": 1.0", ""), "'low_freq_factor'"},
      {FamilyFixtures.CONFIGS.get("mistral").replace("\"model_type\"", "\"attention_bias\": true, \"model_type\""),
          "'attention_bias' = true is not supported for model_type 'mistral'"},
    };
    for (String[] c : cases) {
      ModelException e = assertThrows(ModelException.class,
          () -> LlamaConfig.parse(new java.io.ByteArrayInputStream(c[0].getBytes(StandardCharsets.UTF_8)), "x/config.json"));
      assertTrue(e.getMessage().contains(c[1]) && e.getMessage().startsWith("x/config.json"), e.getMessage());
    }
  }

  /** config cannot import model, so lora.target_modules keeps its own list of names: it must be the table's. */
  @Test
  void loraTargetModulesAreTheProjectionTable() {
    assertEquals(io.fedit.config.LoraSection.MODULES, Projection.names());
  }

  static JsonNode generateJson(String... args) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "generate";
      System.arraycopy(args, 0, all, 1, args.length);
      assertEquals(0, FeditCli.run(all));
    } finally {
      System.setOut(old);
    }
    return new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
  }
}
