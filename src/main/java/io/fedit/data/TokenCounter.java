package io.fedit.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Counts the tokens of a training example as the trainer sees it: the tokenizer's special tokens
 * (BOS for Llama) + tokens of (prompt + response) + one EOS, before truncation to cutoff_len.
 */
public final class TokenCounter implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final PromptTemplate template;

  public TokenCounter(Path tokenizerJson, PromptTemplate template) {
    try {
      // truncation=false: DJL otherwise cuts every text to 512 tokens.
      this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
          Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
    this.template = template;
  }

  public int count(InstructionRecord r) {
    Encoding enc = tokenizer.encode(template.prompt(r.instruction(), r.context()) + r.response());
    return enc.getIds().length + 1;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
