package io.fedit.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shipped tiny model (loaded once per test JVM), a non-trivial adapter and small eval files. */
final class EvalFixture {
  static final ModelWeights WEIGHTS;
  static final LlamaModel MODEL;
  static final Tokenizer TOKENIZER;

  static {
    try {
      WEIGHTS = ModelWeights.load(TestPaths.tinyModel());
      MODEL = LlamaModel.create(WEIGHTS, NDManager.newBaseManager(), DataType.FLOAT32);
      TOKENIZER = Tokenizer.load(TestPaths.tinyModel(), WEIGHTS.config());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EvalFixture() {}

  /** A LoRA adapter with B ≠ 0 (a fresh one has B = 0 and changes nothing): deterministic values. */
  static AdapterWeights adapter(RunConfig cfg) {
    AdapterWeights fresh = AdapterFactory.create(WEIGHTS.config(), cfg.lora(), 7);
    Map<String, AdapterWeights.Tensor> t = new LinkedHashMap<>();
    for (var e : fresh.tensors().entrySet()) {
      float[] v = e.getValue().values().clone();
      if (e.getKey().contains("lora_B")) {
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.05 * Math.sin(i * 0.37 + e.getKey().length()));
      }
      t.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape(), v));
    }
    return new AdapterWeights(t);
  }

  /** Every n-th line of the Dolly test split as dir/test-every-n.jsonl. */
  static Path dollyTestSample(Path dir, int n) throws IOException {
    Path f = dir.resolve("test-every-" + n + ".jsonl");
    List<String> lines = Files.readAllLines(TestPaths.dollyTest());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += n) out.add(lines.get(i));
    Files.write(f, out);
    return f;
  }

  static RunConfig config(String... overrides) {
    List<String> o = new ArrayList<>(List.of("model.path=" + TestPaths.tinyModel(), "train.threads=1"));
    o.addAll(List.of(overrides));
    return ConfigLoader.load(null, o);
  }
}
