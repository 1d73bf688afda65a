package io.fedit.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedit.config.RunConfig;
import io.fedit.data.PromptTemplate;
import io.fedit.lora.LoraAdapter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The response loss is what the README says: -log p of each response token and EOS given everything before
 * it, summed over the tokens after the prompt, checked against a direct computation from the model's logits
 * (log-softmax in double in Java). And the two truncation modes keep what they promise.
 */
class ResponseLossTest {
  private static final PromptTemplate ALPACA = PromptTemplate.ALPACA;

  /** Σ over positions p >= from of (logsumexp(logits[p]) - logits[p][tokens[p+1]]), from raw logits. */
  private static double directNll(long[] tokens, int from, LoraAdapter lora) {
    int t = tokens.length - 1, v = EvalFixture.WEIGHTS.config().vocabSize();
    float[] logits;
    try (NDManager m = EvalFixture.MODEL.manager().newSubManager()) {
      logits = EvalFixture.MODEL.forward(m.create(Arrays.copyOf(tokens, t), new Shape(1, t)), lora, false).toFloatArray();
    }
    double sum = 0;
    for (int p = from; p < t; p++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) max = Math.max(max, logits[p * v + k]);
      double z = 0;
      for (int k = 0; k < v; k++) z += Math.exp(logits[p * v + k] - max);
      sum += max + Math.log(z) - logits[p * v + (int) tokens[p + 1]];
    }
    return sum;
  }

  @Test
  void responseLossIsTheNllOfResponseTokensAndEosAfterThePrompt() {
    RunConfig cfg = EvalFixture.config();
    EvalItem item = new EvalItem(0, "open_qa", "Name a color of the sky.", "", "The sky is blue.");
    String prompt = ALPACA.prompt(item.instruction(), "");
    long[] promptIds = EvalFixture.TOKENIZER.encode(prompt, true);
    long[] full = EvalFixture.TOKENIZER.encode(prompt + item.reference(), true);
    long[] expected = Arrays.copyOf(full, full.length + 1);
    expected[full.length] = EvalFixture.TOKENIZER.eosId();

    EvalExample ex = EvalExample.of(item, EvalFixture.TOKENIZER, ALPACA, 512, true);
    assertArrayEquals(expected, ex.scored().tokens(), "BOS + prompt + response + EOS, as training tokenizes");
    assertArrayEquals(promptIds, ex.generationPrompt());
    int responseTokens = expected.length - promptIds.length; // response tokens + EOS
    assertEquals(responseTokens, ex.responseTokens());

    try (NDManager m = EvalFixture.MODEL.manager().newSubManager();
        LoraAdapter lora = LoraAdapter.create(m, EvalFixture.WEIGHTS.config(), EvalFixture.adapter(cfg),
            cfg.lora().scaling(), 0, EvalFixture.MODEL.dtype())) {
      for (LoraAdapter a : new LoraAdapter[] {null, lora}) {
        RecordScore s = new RecordScorer(EvalFixture.MODEL, EvalFixture.TOKENIZER, a).score(item, ex, 0);
        assertEquals(responseTokens, s.responseTokens());
        assertEquals(expected.length - 1, s.allTokens());
        double direct = directNll(expected, promptIds.length - 1, a);
        assertEquals(direct, s.responseNll(), 1e-4 * responseTokens, "response NLL");
        assertEquals(directNll(expected, 0, a), s.allNll(), 1e-4 * s.allTokens(), "all-token NLL");
        assertTrue(s.responseNll() / responseTokens > 0.1, "a real loss, not a mask error");
        assertEquals(null, s.answer());
      }
      double base = new RecordScorer(EvalFixture.MODEL, EvalFixture.TOKENIZER, null).score(item, ex, 0).responseNll();
      double adapted = new RecordScorer(EvalFixture.MODEL, EvalFixture.TOKENIZER, lora).score(item, ex, 0).responseNll();
      assertNotEquals(base, adapted, "the adapter is applied");
    }
  }

  @Test
  void contextModeShortensTheContextSoTheResponseSurvivesWhileResponseModeCutsTheEnd() {
    String context = "The river flows through the old town and past the mill. ".repeat(40);
    EvalItem item = new EvalItem(1, "summarization", "Summarize the text.", context, "A river passes a town.");
    int cutoff = 256;

    EvalExample cut = EvalExample.of(item, EvalFixture.TOKENIZER, ALPACA, cutoff, false);
    assertEquals(cutoff, cut.scored().tokens().length, "cut at cutoff_len");
    assertEquals(0, cut.responseTokens(), "response mode: the long context pushes the whole response past the cut");
    assertEquals(context.length(), cut.contextChars());

    EvalExample kept = EvalExample.of(item, EvalFixture.TOKENIZER, ALPACA, cutoff, true);
    assertTrue(kept.contextChars() > 0 && kept.contextChars() < context.length(), "context shortened, not dropped");
    long[] tokens = kept.scored().tokens();
    assertTrue(tokens.length <= cutoff);
    assertEquals(EvalFixture.TOKENIZER.eosId(), tokens[tokens.length - 1], "EOS kept");
    String shortPrompt = ALPACA.prompt(item.instruction(), context.substring(0, kept.contextChars()));
    long[] promptIds = EvalFixture.TOKENIZER.encode(shortPrompt, true);
    assertArrayEquals(promptIds, kept.generationPrompt());
    assertEquals(EvalFixture.TOKENIZER.encode(shortPrompt + item.reference(), true).length + 1 - promptIds.length,
        kept.responseTokens(), "the whole response and EOS are scored");
    // The longest prefix that fits: one more character no longer fits (or the response would be cut).
    String longer = ALPACA.prompt(item.instruction(), context.substring(0, kept.contextChars() + 1));
    assertTrue(EvalFixture.TOKENIZER.encode(longer + item.reference(), true).length >= cutoff);
  }
}
