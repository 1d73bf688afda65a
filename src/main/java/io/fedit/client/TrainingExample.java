package io.fedit.client;

import io.fedit.data.InstructionRecord;
import io.fedit.data.PromptTemplate;
import io.fedit.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tokenized example as alpaca-lora / the FedIT code build it: BOS + tokens(prompt + response), EOS
 * appended when the text fits under cutoff_len, truncated to cutoff_len. {@code promptLen} tokens
 * (BOS + tokens(prompt), capped at the length) are the prompt, masked from the loss when train_on_inputs is
 * false. The model reads tokens[0..n-1) and predicts tokens[1..n): n-1 loss positions.
 *
 * @param tokens    (n) token ids, n >= 2
 * @param promptLen number of leading tokens that belong to the prompt
 */
public record TrainingExample(long[] tokens, int promptLen) {

  /** Input positions (= predicted tokens) of this example. */
  public int positions() {
    return tokens.length - 1;
  }

  /** Tokenizes records in order; examples shorter than 2 tokens (nothing to predict) are dropped. */
  public static List<TrainingExample> tokenize(List<InstructionRecord> records, Tokenizer tokenizer,
      PromptTemplate template, int cutoffLen) {
    List<TrainingExample> out = new ArrayList<>(records.size());
    for (InstructionRecord r : records) {
      String prompt = template.prompt(r.instruction(), r.context());
      TrainingExample e = of(tokenizer.encode(prompt + r.response(), true), tokenizer.encode(prompt, true).length,
          tokenizer.eosId(), cutoffLen);
      if (e != null) out.add(e);
    }
    return out;
  }

  /** From full ids (with BOS) and the prompt's token count; null when fewer than 2 tokens remain. */
  public static TrainingExample of(long[] full, int promptLen, int eos, int cutoffLen) {
    long[] t = full.length > cutoffLen ? Arrays.copyOf(full, cutoffLen) : full;
    if (t.length < cutoffLen && (t.length == 0 || t[t.length - 1] != eos)) {
      t = Arrays.copyOf(t, t.length + 1);
      t[t.length - 1] = eos;
    }
    if (t.length < 2) return null;
    return new TrainingExample(t, Math.min(promptLen, t.length));
  }
}
