package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class GreedyReferenceTest {
  /**
   * The reference is 256 greedy tokens after BOS (no EOS occurs); llama2.c's printout drops the leading
   * space after BOS, as the tokenizer's decoder does, and the file adds one trailing newline.
   */
  @Test
  void greedyFromBosReproducesLlama2cReferenceByteForByte() throws Exception {
    String expected = Files.readString(TinyModel.dir().resolve("expected_greedy_256.txt"), StandardCharsets.UTF_8);
    ModelWeights w = ModelWeights.load(TinyModel.dir());
    try (NDManager root = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32);
        Tokenizer tok = Tokenizer.load(TinyModel.dir(), w.config())) {
      long[] ids = new Generator(model).generate(new long[] {tok.bosId()}, SamplingParams.greedy(256), null);
      assertEquals(expected, tok.decode(ids) + "\n");
    }
  }
}
