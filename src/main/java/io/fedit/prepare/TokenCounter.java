package io.fedit.prepare;

import io.fedit.data.InstructionRecord;
import io.fedit.data.PromptTemplate;
import io.fedit.model.Tokenizer;

/**
 * Counts the tokens of a training example as the trainer builds it: BOS + tokens of (prompt + response)
 * + one EOS, before truncation to cutoff_len.
 */
public final class TokenCounter {
  private final Tokenizer tokenizer;
  private final PromptTemplate template;

  public TokenCounter(Tokenizer tokenizer, PromptTemplate template) {
    this.tokenizer = tokenizer;
    this.template = template;
  }

  public int count(InstructionRecord r) {
    return tokenizer.encode(template.prompt(r.instruction(), r.context()) + r.response(), true).length + 1;
  }
}
