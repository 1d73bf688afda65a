package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.fedit.config.LoraSection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-client memory estimate, counted by hand for the shipped tiny model. */
class MemoryEstimateTest {
  static final LoraSection QV = new LoraSection(8, 16, 0.05, List.of("q_proj", "v_proj"), false);

  @Test
  void tinyModelCountsByHand() throws Exception {
    LlamaConfig c = ModelWeights.load(TinyModel.dir()).config(); // H 64, I 172, 5 layers, 8/4 heads, D 8, V 512, tied
    MemoryEstimate e = MemoryEstimate.of(c, DataType.FLOAT32, QV, 4, 512);
    // embed 512*64 + 5 * (2*64 + q 64*64 + k 32*64 + v 32*64 + o 64*64 + 3 * 172*64) + final norm 64
    assertEquals((32_768 + 5 * 45_440 + 64) * 4L, e.baseBytes());
    // 5 layers * r 8 * ((64 + 64) for q + (64 + 32) for v) params, 4 float32 copies each
    assertEquals(5 * 8 * (128 + 96) * 16L, e.loraBytes());
    // per layer and token 6*64 + 2*64 + 3*32 + 3*8*512 + 4*172 = 13,584 values; 2,048 tokens; logits 3 x float32
    assertEquals(2_048L * 13_584 * 5 * 4 + 2_048L * 512 * 4 * 3, e.activationBytes());
    MemoryEstimate half = MemoryEstimate.of(c, DataType.FLOAT16, QV, 4, 512);
    assertEquals(e.baseBytes() / 2, half.baseBytes());
    // float16: the same values in 2 bytes, plus 3*8*512 + 6*64 = 12,672 float32 values per layer and token
    // (scores masked and softmaxed in float32, RMSNorm statistics)
    assertEquals(2_048L * 13_584 * 5 * 2 + 2_048L * 512 * 4 * 3 + 2_048L * 12_672 * 5 * 4, half.activationBytes());
    assertTrue(e.describe().startsWith("memory per client (estimate): 543.8 MiB"), e.describe());
    MemoryEstimate bf16 = MemoryEstimate.of(c, DataType.BFLOAT16, QV, 4, 512);
    // bfloat16 (the scripted decoder): weights in 2 bytes plus the script's own copy of the tied head (512 x 64);
    // every float32 value above stays float32, plus 2*64 + 2*64 + 2*32 + 8*512 + 172 = 4,588 bfloat16 matmul inputs
    assertEquals(e.baseBytes() / 2 + 512 * 64 * 2L, bf16.baseBytes());
    assertEquals(2_048L * 5 * (13_584 * 4L + 4_588 * 2L) + 2_048L * 512 * 4 * 3, bf16.activationBytes());
    assertTrue(bf16.activationBytes() > e.activationBytes(), "the float32 values plus bfloat16 copies");
  }

  @Test
  void tooLittleDeviceMemoryIsAClearErrorBeforeTraining() throws Exception {
    MemoryEstimate e = MemoryEstimate.of(ModelWeights.load(TinyModel.dir()).config(), DataType.FLOAT32, QV, 4, 512);
    ModelException x = assertThrows(ModelException.class, () -> e.requireFits("GPU 0", 256L << 20));
    assertTrue(x.getMessage().startsWith("GPU 0 has 256.0 MiB free, but one client needs about 543.8 MiB")
        && x.getMessage().contains("train.micro_batch_size"), x.getMessage());
    assertDoesNotThrow(() -> e.requireFits("GPU 0", 1L << 30));
  }
}
