package io.fedit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.fedit.client.TrainingExample;
import io.fedit.lora.LoraAdapter;
import io.fedit.model.Generator;
import io.fedit.model.LlamaModel;
import io.fedit.model.SamplingParams;
import io.fedit.model.Tokenizer;

/**
 * Scores one record with a (base model, optional adapter) pair: one forward of batch 1 over the scored
 * sequence, no dropout, no gradients; optionally a greedy answer. Batch 1 keeps each record's numbers
 * independent of which records share its task. The model may be shared by concurrent tasks (read-only).
 */
public final class RecordScorer {
  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final LoraAdapter lora;

  /** {@code lora} may be null (the base model). */
  public RecordScorer(LlamaModel model, Tokenizer tokenizer, LoraAdapter lora) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.lora = lora;
  }

  /** -log p(target) of every predicted position of {@code e}: (n - 1) values, position p predicts token p + 1. */
  public float[] tokenNll(TrainingExample e) {
    long[] tok = e.tokens();
    int t = e.positions();
    long[] in = java.util.Arrays.copyOf(tok, t);
    long[] tg = java.util.Arrays.copyOfRange(tok, 1, t + 1);
    boolean prevGrad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = model.manager().newSubManager()) {
      NDArray ids = m.create(in, new Shape(1, t)); // (1, T)
      NDArray targets = m.create(tg, new Shape(1, t, 1)); // (1, T, 1)
      NDArray logp = model.forward(ids, lora, false).logSoftmax(-1).gather(targets, -1); // (1, T, 1)
      float[] out = logp.toFloatArray();
      for (int i = 0; i < out.length; i++) out[i] = -out[i];
      return out;
    } finally {
      JniUtils.setGradMode(prevGrad);
    }
  }

  /** Loss sums of one record, and its greedy answer when {@code maxNewTokens} > 0. */
  public RecordScore score(EvalItem item, EvalExample ex, int maxNewTokens) {
    long respTokens = 0, allTokens = 0;
    double respNll = 0, allNll = 0;
    if (ex.scored() != null) {
      float[] nll = tokenNll(ex.scored());
      int firstResponse = Math.max(0, ex.scored().promptLen() - 1);
      for (int p = 0; p < nll.length; p++) {
        allNll += nll[p];
        if (p >= firstResponse) {
          respNll += nll[p];
          respTokens++;
        }
      }
      allTokens = nll.length;
    }
    String answer = null, finish = null;
    if (maxNewTokens > 0) {
      boolean prevGrad = JniUtils.isGradMode();
      JniUtils.setGradMode(false);
      try {
        long[] out = new Generator(model).generate(ex.generationPrompt(), SamplingParams.greedy(maxNewTokens), lora);
        boolean eos = out.length > 0 && out[out.length - 1] == tokenizer.eosId();
        answer = tokenizer.decode(out).strip();
        finish = eos ? "eos" : "length";
      } finally {
        JniUtils.setGradMode(prevGrad);
      }
    }
    return new RecordScore(item.recordId(), item.category(), respTokens, respNll, allTokens, allNll, answer, finish);
  }
}
