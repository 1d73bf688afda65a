package io.fedit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainingExample;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterFactory;
import io.fedit.model.LlamaConfig;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput of {@link LocalTrainer} (LoRA r 8, alpha 16, dropout 0.05 on q, v; forward + backward +
 * clipping + AdamW; full-length rows of 256 positions, all counted in the loss) on the shipped tiny model (micro
 * batch 8) and the stories15M shape with random weights (micro batch 4). Tokens/s over the steady steps (the
 * first 2 steps of each run are warm-up), several runs per thread count; prints best, median and spread.
 * bench/torch_lora_reference.py trains the same shapes the same way in PyTorch.
 * Usage: TrainingBenchmark [modelDir] [runs] [threads,...]
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path tiny = Path.of(args.length > 0 ? args[0] : "data/stories260K-hf");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int[] threads = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
    System.out.printf(Locale.ROOT, "engine %s %s, %d cores%n", Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion(), Runtime.getRuntime().availableProcessors());
    bench("stories260K", ModelWeights.load(tiny), 8, 30, runs, threads);
    bench("stories15M-shape", ModelWeights.random(LlamaConfig.stories15M(), 1), 4, 8, runs, threads);
  }

  static void bench(String label, ModelWeights w, int micro, int steps, int runs, int[] threads) {
    int seq = 256;
    RunConfig cfg = ConfigLoader.load(null, List.of("lora.r=8", "lora.alpha=16", "lora.dropout=0.05",
        "lora.target_modules=[q_proj, v_proj]", "train.batch_size=" + micro, "train.micro_batch_size=" + micro,
        "train.learning_rate=3e-4", "train.lr_schedule=constant", "train.max_grad_norm=1.0",
        "train.max_steps=" + (steps + 2), "train.train_on_inputs=true", "data.cutoff_len=" + (seq + 1)));
    Random rnd = new Random(3);
    List<TrainingExample> ex = new ArrayList<>();
    for (int i = 0; i < micro * (steps + 2); i++) {
      long[] t = new long[seq + 1];
      for (int j = 0; j < t.length; j++) t[j] = rnd.nextInt(w.config().vocabSize());
      ex.add(new TrainingExample(t, 1));
    }
    try (NDManager root = NDManager.newBaseManager(); LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32)) {
      LocalTrainer trainer = new LocalTrainer(model, null, cfg);
      for (int th : threads) {
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
          long[] at = new long[steps + 2];
          trainer.setStepListener((step, loss, live) -> at[step] = System.nanoTime());
          trainer.trainExamples(ex, ex.size(), AdapterFactory.create(w.config(), cfg.lora(), 1), r, th, List.of());
          rates[r] = (double) steps * micro * seq / ((at[steps + 1] - at[1]) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT djl %s threads=%d batch=%d seq=%d best=%.0f median=%.0f min=%.0f tok/s runs=%s%n",
            label, th, micro, seq, sorted[runs - 1], sorted[runs / 2], sorted[0], Arrays.toString(
                Arrays.stream(rates).mapToLong(Math::round).toArray()));
      }
    }
  }
}
