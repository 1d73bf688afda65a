package io.fedit.client;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The shipped tiny model, its tokenizer and Dolly rows, loaded once per test JVM and shared (read-only). */
final class TrainerFixture {
  static final Path ROOT = Path.of(System.getProperty("project.root", "."));
  static final ModelWeights WEIGHTS;
  static final LlamaModel MODEL;
  static final Tokenizer TOKENIZER;

  static {
    try {
      Path dir = ROOT.resolve("data/stories260K-hf");
      WEIGHTS = ModelWeights.load(dir);
      MODEL = LlamaModel.create(WEIGHTS, NDManager.newBaseManager(), DataType.FLOAT32);
      TOKENIZER = Tokenizer.load(dir, WEIGHTS.config());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TrainerFixture() {}

  /** Defaults with {@code key=value} overrides. */
  static RunConfig config(String... overrides) {
    return ConfigLoader.load(null, Arrays.asList(overrides));
  }

  static LocalTrainer trainer(String... overrides) {
    return new LocalTrainer(MODEL, TOKENIZER, config(overrides));
  }

  static AdapterWeights initial(RunConfig cfg, long seed) {
    return AdapterFactory.create(WEIGHTS.config(), cfg.lora(), seed);
  }

  /** Up to {@code limit} Dolly rows of the given categories from train.jsonl or test.jsonl, in file order. */
  static List<InstructionRecord> dolly(String split, Set<String> categories, int limit) {
    ObjectMapper json = new ObjectMapper();
    Path file = ROOT.resolve("data/dolly15k/" + split + ".jsonl");
    List<InstructionRecord> out = new ArrayList<>();
    try {
      long line = 0;
      for (String s : Files.readAllLines(file)) {
        line++;
        if (s.isBlank()) continue;
        JsonNode n = json.readTree(s);
        String cat = n.path("category").asText("");
        if (!categories.contains(cat)) continue;
        out.add(new InstructionRecord(file.toString(), line, n.path("instruction").asText(), n.path("context").asText(""),
            n.path("response").asText(), cat, null));
        if (out.size() == limit) break;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void assertSameAdapter(AdapterWeights a, AdapterWeights b) {
    org.junit.jupiter.api.Assertions.assertEquals(a.tensors().keySet(), b.tensors().keySet());
    for (String k : a.tensors().keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k).values(), b.get(k).values(), k);
    }
  }

  static boolean sameAdapter(AdapterWeights a, AdapterWeights b) {
    for (String k : a.tensors().keySet()) {
      if (!Arrays.equals(a.get(k).values(), b.get(k).values())) return false;
    }
    return true;
  }
}
