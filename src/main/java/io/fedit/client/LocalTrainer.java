package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.fedit.config.RunConfig;
import io.fedit.config.TrainSection;
import io.fedit.data.InstructionRecord;
import io.fedit.data.PromptTemplate;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraAdapter;
import io.fedit.model.LlamaModel;
import io.fedit.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's local LoRA training (what each executor runs for its client; also the centralized and
 * local-only baselines: give it all rows, or one client's). Records -> prompt template -> BOS + tokens + EOS,
 * truncated to cutoff_len -> shuffled micro batches (padding, optional length grouping) -> gradient
 * accumulation up to batch_size -> global-norm clipping -> AdamW with warm-up and linear/cosine decay.
 *
 * <p>Only the LoRA arrays require gradients; the base model is read-only and may be shared by several trainers
 * running at once on different threads: autograd is per thread ({@link Autograd}), dropout masks come from a
 * per-run seeded generator ({@link SeededDropout}), so concurrent runs equal sequential ones bit for bit.
 * Memory: one sub-manager per run, per optimizer step and per micro batch; nothing survives a step but the
 * adapter and the optimizer state.
 *
 * <p>Mixed precision: the model's compute dtype (float32, float16 or bfloat16) runs the forward and backward; the LoRA
 * arrays, their gradients and AdamW's state are float32 whatever it is, and float16 adds dynamic loss scaling
 * ({@link LossScaler}: steps with non-finite gradients are skipped and counted in the metrics).
 */
public final class LocalTrainer {
  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final RunConfig cfg;
  private volatile StepListener listener;

  /** model and tokenizer may be shared by several trainers running concurrently in one JVM (read-only). */
  public LocalTrainer(LlamaModel model, Tokenizer tokenizer, RunConfig cfg) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.cfg = cfg;
  }

  /** Calls {@code l} after every optimizer step of later runs (null: none). */
  public void setStepListener(StepListener l) {
    this.listener = l;
  }

  /**
   * Trains every LoRA array on the token loss alone, starting from `start` on `records` (a client's rows);
   * deterministic in `seed`; `threads` intra-op threads (0 = leave as is).
   */
  public TrainResult train(List<InstructionRecord> records, AdapterWeights start, long seed, int threads) {
    return train(records, start, seed, threads, TrainingObjective.PLAIN);
  }

  /** As {@link #train(List, AdapterWeights, long, int)} toward {@code objective} (extra terms, trainable arrays). */
  public TrainResult train(List<InstructionRecord> records, AdapterWeights start, long seed, int threads,
      TrainingObjective objective) {
    return trainExamples(examples(records), records.size(), start, seed, threads, objective);
  }

  /** Tokenized examples of {@code records} with this run's template and cutoff_len. */
  public List<TrainingExample> examples(List<InstructionRecord> records) {
    if (records == null || records.isEmpty()) throw new IllegalArgumentException("records must not be empty");
    List<TrainingExample> ex = TrainingExample.tokenize(records, tokenizer,
        PromptTemplate.named(cfg.data().promptTemplate()), cfg.data().cutoffLen());
    if (ex.isEmpty()) throw new IllegalArgumentException("no record of " + records.size() + " gives a trainable example");
    return ex;
  }

  /**
   * Trains on already tokenized examples. {@code distinctExamples} is reported as TrainMetrics.examples (the
   * FedAvg weight; not multiplied by epochs).
   */
  public TrainResult trainExamples(List<TrainingExample> examples, long distinctExamples, AdapterWeights start,
      long seed, int threads, TrainingObjective objective) {
    if (examples.isEmpty()) throw new IllegalArgumentException("examples must not be empty");
    long t0 = System.nanoTime();
    TrainSection t = cfg.train();
    List<List<MicroBatch>> plan = BatchPlan.plan(examples, t, seed); // optimizer steps -> their micro batches
    LrSchedule schedule = new LrSchedule(t.lrSchedule(), t.learningRate(), t.warmupSteps(), plan.size());
    int prevThreads = JniUtils.getNumThreads();
    if (threads > 0) JniUtils.setNumThreads(threads);
    boolean prevGrad = JniUtils.isGradMode();
    float[] losses = new float[plan.size()];
    int[] skipped = new int[1];
    AdapterWeights trained;
    try {
      trained = optimize(plan, schedule, start, seed, objective, losses, skipped);
    } finally {
      JniUtils.setGradMode(prevGrad);
      if (threads > 0) JniUtils.setNumThreads(prevThreads);
    }
    return new TrainResult(trained, metrics(distinctExamples, positions(plan), losses, skipped[0],
        System.nanoTime() - t0));
  }

  /**
   * Runs every optimizer step of {@code plan} from {@code start}, writing each step's summed micro-batch loss
   * into {@code losses} and the number of steps float16 loss scaling skipped into {@code skipped[0]}; returns
   * the trained adapter. Only the objective's trainable LoRA arrays (B alone under FFA-LoRA) require gradients;
   * they are float32 master weights whatever the compute dtype, and so are their gradients and the AdamW state.
   * Everything of this run lives in one sub-manager closed at the end.
   */
  private AdapterWeights optimize(List<List<MicroBatch>> plan, LrSchedule schedule, AdapterWeights start, long seed,
      TrainingObjective objective, float[] losses, int[] skipped) {
    TrainSection t = cfg.train();
    try (NDManager run = model.manager().newSubManager();
        LoraAdapter lora = LoraAdapter.create(run, model.config(), start, cfg.lora().scaling(), cfg.lora().dropout(),
            model.dtype())) {
      lora.setDropoutMasks(new SeededDropout(seed ^ 0x5DEECE66DL));
      NDList params = lora.trainableParameters(objective.trainable()); // FFA-LoRA: B only
      for (NDArray p : params) p.setRequiresGradient(true);
      AdamW adamw = new AdamW(run, params, t.adamBeta1(), t.adamBeta2(), t.adamEps(), t.weightDecay());
      GradClip clip = new GradClip(run, t.maxGradNorm());
      LossScaler scaler = new LossScaler(run, model.dtype() == DataType.FLOAT16);
      for (int s = 0; s < plan.size(); s++) {
        try (NDManager step = run.newSubManager()) {
          double loss = accumulateGradients(step, plan.get(s), lora, objective.extraTerms(), scaler.seed());
          update(step, params, clip, scaler, adamw, schedule.at(s));
          losses[s] = (float) loss;
        }
        StepListener l = listener;
        if (l != null) l.onStep(s, losses[s], run.getManagedArrays().size());
      }
      for (NDArray p : params) p.setRequiresGradient(false);
      skipped[0] = scaler.skippedSteps();
      return lora.toAdapterWeights();
    }
  }

  /**
   * Forward and backward over one step's micro batches, gradients summing in the parameters; the extra loss
   * terms join the first micro batch only, so they count once per optimizer step. Returns the summed NLL
   * (without the extra terms) for the metrics. {@code seed}: the () backward seed, the loss scale (1 unscaled).
   */
  private double accumulateGradients(NDManager step, List<MicroBatch> micros, LoraAdapter lora,
      List<LossTerm> extraTerms, NDArray seed) {
    double loss = 0;
    Autograd.enable(true);
    for (int i = 0; i < micros.size(); i++) {
      try (NDManager micro = step.newSubManager()) {
        NDArray nll = nll(micro, micros.get(i), lora, true); // ()
        NDArray total = nll;
        if (i == 0) {
          for (LossTerm term : extraTerms) total = total.add(term.value(lora, micro));
        }
        Autograd.backward(total, seed);
        loss += nll.getFloat();
      }
    }
    Autograd.enable(false);
    return loss;
  }

  /**
   * One optimizer update from the accumulated float32 gradients: unscale (float16), global-norm clip, AdamW at
   * {@code lr} unless the loss scaler rejects the step (non-finite gradients), gradients zeroed either way.
   */
  private static void update(NDManager step, NDList params, GradClip clip, LossScaler scaler, AdamW adamw, double lr) {
    NDList grads = new NDList(params.size());
    for (NDArray p : params) grads.add(Autograd.gradient(p, step));
    scaler.unscale(grads);
    NDArray norm = clip.apply(grads, step);
    if (scaler.stepIsFinite(norm)) adamw.step(params, grads, lr, step);
    for (NDArray p : params) Autograd.zeroGradient(p);
  }

  /** Token positions the plan trains on (every micro batch of every step). */
  private static long positions(List<List<MicroBatch>> plan) {
    long tokens = 0;
    for (List<MicroBatch> micros : plan) {
      for (MicroBatch mb : micros) tokens += mb.positions();
    }
    return tokens;
  }

  /** The run's metrics from its per-step losses (losses.length >= 1) and wall time. */
  private static TrainMetrics metrics(long distinctExamples, long tokens, float[] losses, int skipped, long nanos) {
    double mean = 0;
    for (float l : losses) mean += l;
    mean /= losses.length;
    return new TrainMetrics(distinctExamples, tokens, losses.length, losses[0], losses[losses.length - 1], mean,
        tokens / (nanos / 1e9), nanos / 1_000_000, losses, skipped);
  }

  /** Mean per-token loss of `adapter` on `records` (no dropout, no gradients): for held-out evaluation. */
  public double evaluate(List<InstructionRecord> records, AdapterWeights adapter) {
    List<TrainingExample> ex = examples(records);
    int micro = cfg.train().microBatchSize();
    boolean prevGrad = Autograd.enable(false);
    double sum = 0;
    long counted = 0;
    try (NDManager run = model.manager().newSubManager();
        LoraAdapter lora = LoraAdapter.create(run, model.config(), adapter, cfg.lora().scaling(), 0, model.dtype())) {
      for (int from = 0; from < ex.size(); from += micro) {
        MicroBatch mb = MicroBatch.of(new ArrayList<>(ex.subList(from, Math.min(ex.size(), from + micro))),
            cfg.train().trainOnInputs());
        try (NDManager m = run.newSubManager()) {
          sum += nll(m, mb, lora, false).getFloat();
        }
        counted += mb.counted();
      }
    } finally {
      JniUtils.setGradMode(prevGrad);
    }
    if (counted == 0) throw new IllegalArgumentException("no loss position in " + records.size() + " records");
    return sum / counted;
  }

  /**
   * Gradient of one micro batch's weighted loss at {@code adapter}, no dropout, flattened in parameter order
   * (for tests of the loss masking).
   */
  float[] gradient(MicroBatch mb, AdapterWeights adapter) {
    boolean prevGrad = Autograd.enable(true);
    try (NDManager run = model.manager().newSubManager();
        LoraAdapter lora = LoraAdapter.create(run, model.config(), adapter, cfg.lora().scaling(), 0, model.dtype())) {
      NDList params = lora.parameters();
      for (NDArray p : params) p.setRequiresGradient(true);
      Autograd.backward(nll(run, mb, lora, false), run.ones(new Shape(), DataType.FLOAT32));
      Autograd.enable(false);
      List<float[]> parts = new ArrayList<>();
      int n = 0;
      for (NDArray p : params) {
        float[] g = Autograd.gradient(p, run).toFloatArray();
        parts.add(g);
        n += g.length;
      }
      float[] out = new float[n];
      int at = 0;
      for (float[] g : parts) {
        System.arraycopy(g, 0, out, at, g.length);
        at += g.length;
      }
      return out;
    } finally {
      JniUtils.setGradMode(prevGrad);
    }
  }

  /** Weighted token NLL of one micro batch, () in {@code m}. */
  private NDArray nll(NDManager m, MicroBatch mb, LoraAdapter lora, boolean training) {
    NDArray ids = m.create(mb.inputs(), new Shape(mb.rows(), mb.len())); // (B, T)
    NDArray targets = m.create(mb.targets(), new Shape(mb.rows(), mb.len(), 1)); // (B, T, 1)
    NDArray weights = m.create(mb.weights(), new Shape(mb.rows(), mb.len(), 1)); // (B, T, 1)
    return TokenLoss.weightedNll(model.forward(ids, lora, training), targets, weights);
  }
}
