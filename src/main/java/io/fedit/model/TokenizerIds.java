package io.fedit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Every id a tokenizer.json can produce must be a row of the model's embedding (below config.json's vocab_size):
 * its vocabulary ({@code model.vocab}: an object token → id for BPE/WordPiece/WordLevel, a list for Unigram) and
 * its added tokens (BOS, EOS, PAD and other specials). An id past the embedding otherwise fails inside the engine
 * with a stack trace, at the first text that contains it. Checked when the tokenizer is loaded and on the driver
 * before a job.
 */
public final class TokenizerIds {
  private TokenizerIds() {}

  /** Throws naming {@code source}, the token and the id when an id is outside [0, vocabSize). */
  public static void requireBelow(byte[] tokenizerJson, int vocabSize, String source) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(tokenizerJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) throw new ModelException(source + " is not a JSON object");
    for (JsonNode t : root.path("added_tokens")) {
      check(t.path("id").asLong(-1), "added token '" + t.path("content").asText() + "'", vocabSize, source);
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        check(e.getValue().asLong(-1), "vocabulary token '" + e.getKey() + "'", vocabSize, source);
      }
    } else if (vocab.isArray() && vocab.size() > vocabSize) {
      throw new ModelException(source + ": the vocabulary holds " + vocab.size() + " tokens, more than config.json's "
          + "vocab_size " + vocabSize);
    }
  }

  private static void check(long id, String what, int vocabSize, String source) {
    if (id < 0 || id >= vocabSize) {
      throw new ModelException(source + ": " + what + " has id " + id + ", outside config.json's vocab_size "
          + vocabSize);
    }
  }
}
