package io.fedit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainingExample;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterFactory;
import io.fedit.model.Compute;
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
 * clipping + AdamW; full-length rows of 256 positions, all counted in the loss) per compute dtype, on the shipped
 * tiny model (micro batch 8), the stories15M shape (micro batch 4) and the stories110M shape (micro batch 2), both
 * with random weights. For each shape, dtype and thread count it first measures the matmul peak of that dtype and
 * thread count at the model's own shapes ({@link MatmulPeak}), then tokens/s over the steady steps (the first 2
 * steps of each run are warm-up), several runs, and the best run's matmul GFLOP/s as a share of that peak.
 * bench/torch_lora_reference.py trains the same shapes the same way in PyTorch (float32 and bfloat16 autocast).
 * Usage: TrainingBenchmark [modelDir] [runs] [threads,...] [dtypes,...] [shapes,...]; dtypes: float32, float16,
 * bfloat16 (the TorchScript decoder) and float32-script (the same script in float32).
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** The dtype name that selects the bfloat16 route's TorchScript decoder computing in float32. */
  static final String SCRIPT_FLOAT32 = "float32-script";

  /** A benchmark shape: its weights, micro batch and measured steps (float32; slower dtypes take fewer). */
  record Bench(String label, ModelWeights weights, int micro, int steps) {}

  public static void main(String[] args) throws Exception {
    Path tiny = Path.of(args.length > 0 ? args[0] : "data/stories260K-hf");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int[] threads = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> dtypes = List.of((args.length > 3 ? args[3] : "float32,float16").split(","));
    List<String> shapes = List.of((args.length > 4 ? args[4] : "stories260K,stories15M-shape,110M-shape").split(","));
    System.out.printf(Locale.ROOT, "engine %s %s, %d cores%n", Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion(), Runtime.getRuntime().availableProcessors());
    for (String s : shapes) {
      Bench b = switch (s) {
        case "stories260K" -> new Bench(s, ModelWeights.load(tiny), 8, 30);
        case "stories15M-shape" -> new Bench(s, ModelWeights.random(LlamaConfig.stories15M(), 1), 4, 8);
        case "110M-shape" -> new Bench(s, ModelWeights.random(LlamaConfig.stories110M(), 1), 2, 4);
        default -> throw new IllegalArgumentException("unknown shape " + s);
      };
      for (String d : dtypes) {
        boolean script = d.equals(SCRIPT_FLOAT32);
        bench(b, script ? DataType.FLOAT32 : Compute.requireSupported(Compute.dtype(d)), script, runs, threads);
      }
    }
  }

  /** Whether the engine computes on a GPU (where half types are fast). */
  private static boolean onGpu() {
    return Engine.getInstance().getGpuCount() > 0;
  }

  /**
   * @param script the frozen forward in the TorchScript decoder (always for bfloat16; with float32, the same
   *               script without bfloat16, which isolates what bfloat16 saves from what the script costs)
   */
  static void bench(Bench b, DataType dtype, boolean script, int runs, int[] threads) {
    int seq = 256, micro = b.micro();
    // float16 has no fast arithmetic on CPUs without AVX512-FP16/AMX-FP16 (measured ~20x slower matmuls on AMD
    // EPYC): on the CPU, measure a quarter of the steps, one run, at the largest thread count only.
    boolean slow = dtype == DataType.FLOAT16 && !onGpu();
    int steps = slow ? Math.max(1, b.steps() / 4) : b.steps();
    if (slow) {
      runs = 1;
      threads = new int[] {Arrays.stream(threads).max().orElse(1)};
    }
    String name = script && dtype == DataType.FLOAT32 ? SCRIPT_FLOAT32 : dtype.name().toLowerCase(Locale.ROOT);
    LlamaConfig c = b.weights().config();
    double flopPerToken = MatmulPeak.trainingFlopPerToken(c, seq);
    RunConfig cfg = ConfigLoader.load(null, List.of("lora.r=8", "lora.alpha=16", "lora.dropout=0.05",
        "lora.target_modules=[q_proj, v_proj]", "train.batch_size=" + micro, "train.micro_batch_size=" + micro,
        "train.learning_rate=3e-4", "train.lr_schedule=constant", "train.max_grad_norm=1.0",
        "train.max_steps=" + (steps + 2), "train.train_on_inputs=true", "data.cutoff_len=" + (seq + 1)));
    Random rnd = new Random(3);
    List<TrainingExample> ex = new ArrayList<>();
    for (int i = 0; i < micro * (steps + 2); i++) {
      long[] t = new long[seq + 1];
      for (int j = 0; j < t.length; j++) t[j] = rnd.nextInt(c.vocabSize());
      ex.add(new TrainingExample(t, 1));
    }
    try (NDManager root = NDManager.newBaseManager();
        LlamaModel model = script && dtype == DataType.FLOAT32 ? LlamaModel.createScriptedFloat32(b.weights(), root)
            : LlamaModel.create(b.weights(), root, dtype)) {
      LocalTrainer trainer = new LocalTrainer(model, null, cfg);
      for (int th : threads) {
        double peak = MatmulPeak.measure(b.label(), c, micro * seq, dtype, th); // same dtype, same threads
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
          long[] at = new long[steps + 2];
          trainer.setStepListener((step, loss, live) -> at[step] = System.nanoTime());
          trainer.trainExamples(ex, ex.size(), AdapterFactory.create(c, cfg.lora(), 1), r, th,
              io.fedit.client.TrainingObjective.PLAIN);
          rates[r] = (double) steps * micro * seq / ((at[steps + 1] - at[1]) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double gflops = sorted[runs - 1] * flopPerToken / 1e9;
        System.out.printf(Locale.ROOT, "RESULT djl %s %s threads=%d batch=%d seq=%d best=%.0f median=%.0f min=%.0f "
            + "tok/s runs=%s gflops=%.1f share_of_%s_peak=%.0f%%%n", b.label(), name, th, micro, seq, sorted[runs - 1],
            sorted[runs / 2], sorted[0], Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()),
            gflops, name, 100 * gflops / peak);
      }
    }
  }
}
