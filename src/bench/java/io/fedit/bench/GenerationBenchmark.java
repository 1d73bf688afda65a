package io.fedit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.LoraAdapter;
import io.fedit.model.Generator;
import io.fedit.model.LlamaConfig;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.SamplingParams;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Generation throughput (tokens/s, KV cache, batch 1, greedy) on the shipped tiny model and on random
 * weights of llama2.c's stories15M shape, without and with an unmerged LoRA adapter (r 8 on q, v).
 * Usage: GenerationBenchmark [modelDir] [tokens] [runs]. Prints a Markdown table to stdout.
 */
public final class GenerationBenchmark {
  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path tiny = Path.of(args.length > 0 ? args[0] : "data/stories260K-hf");
    int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(Locale.ROOT, "engine %s %s, torch threads (ai.djl.pytorch.num_threads) %s, %d cores%n%n",
        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"), Runtime.getRuntime().availableProcessors());
    System.out.println("| model | LoRA | new tokens | tokens/s (median of " + runs + ") | ms/token |");
    System.out.println("| --- | --- | --- | --- | --- |");
    ModelWeights small = ModelWeights.load(tiny);
    bench("stories260K (" + tiny.getFileName() + ")", small, tokens, runs);
    bench("stories15M shape, random", ModelWeights.random(LlamaConfig.stories15M(), 1), tokens, runs);
  }

  static void bench(String label, ModelWeights w, int tokens, int runs) {
    LoraSection qv = new LoraSection(8, 16, 0, List.of("q_proj", "v_proj"), false);
    try (NDManager root = NDManager.newBaseManager(); LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32)) {
      int n = Math.min(tokens, w.config().maxPositions() - 1);
      SamplingParams p = new SamplingParams(n, 0, 0, 1, 0, false);
      Generator gen = new Generator(model);
      for (boolean withLora : new boolean[] {false, true}) {
        try (LoraAdapter lora = withLora
            ? LoraAdapter.create(root, w.config(), AdapterFactory.create(w.config(), qv, 1), qv.scaling(), 0, DataType.FLOAT32)
            : null) {
          gen.generate(new long[] {1}, new SamplingParams(Math.min(32, n), 0, 0, 1, 0, false), lora); // warm-up
          double[] rates = new double[runs];
          for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            int made = gen.generate(new long[] {1}, p, lora).length;
            rates[r] = made / ((System.nanoTime() - t0) / 1e9);
          }
          Arrays.sort(rates);
          double med = rates[runs / 2];
          System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f |%n", label, withLora ? "r8 q,v" : "none", n, med,
              1000 / med);
        }
      }
    }
  }
}
