package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A base model is refused when loaded, with the key, tensor or file named, instead of training or generating
 * garbage: non-integer or non-positive sizes in config.json, token ids outside the vocabulary (config.json and
 * the tokenizer's special tokens), NaN or infinity in any weight whatever its dtype.
 */
class LoadTimeChecksTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ModelWeights original;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws Exception {
    original = ModelWeights.load(TinyModel.dir());
  }

  private Path modelWithConfig(String name, Consumer<ObjectNode> edit) throws Exception {
    Path dir = tmp.resolve(name);
    CheckpointCopies.single(dir, original, DType.F32, e -> e);
    ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    edit.accept(c);
    Files.writeString(dir.resolve("config.json"), c.toString());
    return dir;
  }

  private static String refusal(Path dir) {
    return assertThrows(ModelException.class, () -> ModelWeights.load(dir)).getMessage();
  }

  @Test
  void fractionalSizesAreRefusedNotTruncated() throws Exception {
    for (String key : new String[] {"hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "vocab_size"}) {
      String m = refusal(modelWithConfig("frac-" + key, c -> c.put(key, c.get(key).asInt() + 0.5)));
      assertTrue(m.contains("'" + key + "'") && m.contains("integer") && m.contains("config.json"), m);
    }
    for (String key : new String[] {"head_dim", "num_key_value_heads", "max_position_embeddings"}) {
      String m = refusal(modelWithConfig("frac-" + key, c -> c.put(key, c.get(key).asInt() + 0.5)));
      assertTrue(m.contains("'" + key + "'") && m.contains("integer"), m);
    }
  }

  @Test
  void negativeAndTextualSizesAreRefusedWithTheKey() throws Exception {
    String m = refusal(modelWithConfig("neg-kv", c -> c.put("num_key_value_heads", -4)));
    assertTrue(m.contains("'num_key_value_heads'") && m.contains("-4") && m.contains("config.json"), m);
    m = refusal(modelWithConfig("text-layers", c -> c.put("num_hidden_layers", "five")));
    assertTrue(m.contains("'num_hidden_layers'"), m);
    m = refusal(modelWithConfig("text-maxpos", c -> c.put("max_position_embeddings", "512")));
    assertTrue(m.contains("'max_position_embeddings'") && m.contains("integer"), m);
    m = refusal(modelWithConfig("neg-window", c -> c.put("model_type", "mistral").put("sliding_window", -1)
        .putArray("architectures").add("MistralForCausalLM")));
    assertTrue(m.contains("'sliding_window'"), m);
  }

  @Test
  void specialTokenIdsOutsideTheVocabularyAreRefused() throws Exception {
    String m = refusal(modelWithConfig("bos", c -> c.put("bos_token_id", 512)));
    assertTrue(m.contains("'bos_token_id'") && m.contains("512") && m.contains("vocab_size"), m);
    m = refusal(modelWithConfig("eos-list", c -> c.putArray("eos_token_id").add(2).add(600)));
    assertTrue(m.contains("'eos_token_id'") && m.contains("600"), m);
    m = refusal(modelWithConfig("pad", c -> c.put("pad_token_id", 9999)));
    assertTrue(m.contains("'pad_token_id'") && m.contains("9999"), m);
    m = refusal(modelWithConfig("neg-bos", c -> c.put("bos_token_id", -1)));
    assertTrue(m.contains("'bos_token_id'"), m);
    m = refusal(modelWithConfig("text-bos", c -> c.put("bos_token_id", "one")));
    assertTrue(m.contains("'bos_token_id'"), m);
    // null is what many configs write for an absent PAD: accepted.
    ModelWeights.load(modelWithConfig("pad-null", c -> c.putNull("pad_token_id")));
  }

  @Test
  void tokenizerIdsBeyondVocabSizeAreRefused() throws Exception {
    // vocab_size below the tokenizer's own vocabulary (512 ids): ids the embedding does not have.
    Path dir = tmp.resolve("small-vocab");
    CheckpointCopies.copyConfig(dir);
    ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    c.put("vocab_size", 300);
    Files.writeString(dir.resolve("config.json"), c.toString());
    LlamaConfig config = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(dir.toUri()),
        new org.apache.hadoop.conf.Configuration());
    String m = assertThrows(ModelException.class, () -> Tokenizer.load(dir, config)).getMessage();
    assertTrue(m.contains("tokenizer.json") && m.contains("vocab_size 300"), m);
    // An added special token past the vocabulary.
    Path dir2 = tmp.resolve("added");
    CheckpointCopies.copyConfig(dir2);
    ObjectNode t = (ObjectNode) JSON.readTree(dir2.resolve("tokenizer.json").toFile());
    ((ObjectNode) t.withArray("added_tokens").get(2)).put("id", 700);
    Files.writeString(dir2.resolve("tokenizer.json"), t.toString());
    m = assertThrows(ModelException.class, () -> Tokenizer.load(dir2, original.config())).getMessage();
    assertTrue(m.contains("tokenizer.json") && m.contains("700") && m.contains("</s>"), m);
  }

  @Test
  void nanOrInfinityInAnyWeightIsRefusedNamingTheTensor() throws Exception {
    String tensor = "model.layers.3.mlp.down_proj.weight";
    for (DType d : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        Path dir = CheckpointCopies.single(tmp.resolve(d + "-" + bad), original, d, e -> {
          Map<String, SafetensorsWriter.Entry> m = new LinkedHashMap<>(e);
          float[] v = original.get(tensor).values().clone();
          v[v.length - 3] = bad;
          m.put(tensor, SafetensorsWriter.Entry.of(d, original.get(tensor).shape(), v));
          return m;
        });
        String m = refusal(dir);
        assertTrue(m.contains("'" + tensor + "'") && m.contains("model.safetensors")
            && m.contains(Float.isNaN(bad) ? "NaN" : "Infinity"), d + " " + bad + ": " + m);
      }
    }
  }

  @Test
  void theShippedModelStillLoads() throws Exception {
    assertEquals(original.config(), ModelWeights.load(TinyModel.dir()).config());
  }
}
