package io.fedit.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import io.fedit.config.LoraSection;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * What one client's training holds in device memory, estimated from the shapes (an estimate: allocator
 * slack, libtorch workspaces and the CUDA context, typically a few hundred MiB, come on top):
 * <ul>
 *   <li>base weights: every parameter once, in the compute dtype (frozen, no gradients or optimizer state);</li>
 *   <li>LoRA: r x (in + out) per adapted projection and layer, four float32 copies (weights, gradients,
 *       AdamW first and second moments);</li>
 *   <li>activations kept for the backward pass, at micro_batch_size x cutoff_len tokens, in the compute
 *       dtype: per layer and token about 6H (norm inputs/outputs, residuals) + 2(Hq·D) + 3(Hkv·D)
 *       (projections and rotated q/k) + 3·Hq·T (scores, mask, softmax) + 4I (gate, up, SiLU, product);
 *       plus the logits (B, T, V) three times in float32 (logits, log-softmax, their gradient). Half compute
 *       dtypes (mixed precision) also keep, per layer and token, 3·Hq·T float32 values (the scores are masked
 *       and softmaxed in float32) and 6H (the two RMSNorms' float32 input, square and normalised copy).
 *       bfloat16 runs the frozen forward in a TorchScript module (ScriptedDecoder) whose residual stream and
 *       projection outputs stay float32, so there all those values are float32, plus the bfloat16 copies fed
 *       to the matmuls: 2H (normed inputs) + 2(Hq·D) + 2(Hkv·D) (q, attention output; k, v) + Hq·T
 *       (softmax) + I (gated product); and the script keeps the output head as its own bfloat16 copy even
 *       when it is tied to the embedding.</li>
 * </ul>
 */
public record MemoryEstimate(long baseBytes, long loraBytes, long activationBytes, int microBatch, int seqLen) {

  public long totalBytes() {
    return baseBytes + loraBytes + activationBytes;
  }

  public static MemoryEstimate of(LlamaConfig c, DataType compute, LoraSection lora, int microBatch, int seqLen) {
    int b = compute.getNumOfBytes();
    long params = 0;
    for (long[] shape : ModelWeights.expectedShapes(c).values()) {
      long n = 1;
      for (long d : shape) n *= d;
      params += n;
    }
    long loraParams = 0;
    for (Projection p : Projection.ALL) {
      if (lora.targetModules().contains(p.peftName())) loraParams += (long) lora.r() * (p.inFeatures(c) + p.outFeatures(c));
    }
    loraParams *= c.numLayers();
    long perLayerToken = 6L * c.hiddenSize() + 2L * c.qDim() + 3L * c.kvDim() + 3L * c.numHeads() * seqLen
        + 4L * c.intermediateSize();
    long tokens = (long) microBatch * seqLen;
    long logits = tokens * c.vocabSize() * 4L * 3;
    if (compute == DataType.BFLOAT16) {
      long matmulInputs = 2L * c.hiddenSize() + 2L * c.qDim() + 2L * c.kvDim() + (long) c.numHeads() * seqLen
          + c.intermediateSize();
      long activations = tokens * c.numLayers() * (perLayerToken * 4L + matmulInputs * 2L) + logits;
      long headCopy = c.tieWordEmbeddings() ? (long) c.vocabSize() * c.hiddenSize() * 2 : 0;
      return new MemoryEstimate(params * 2 + headCopy, loraParams * 4 * 4, activations, microBatch, seqLen);
    }
    long float32PerLayerToken = compute == DataType.FLOAT32 ? 0 : 3L * c.numHeads() * seqLen + 6L * c.hiddenSize();
    long activations = tokens * perLayerToken * c.numLayers() * b + logits
        + tokens * float32PerLayerToken * c.numLayers() * 4L;
    return new MemoryEstimate(params * b, loraParams * 4 * 4, activations, microBatch, seqLen);
  }

  /** One line for the start of train/round. */
  public String describe() {
    return String.format(Locale.ROOT, "memory per client (estimate): %s = base weights %s + LoRA with AdamW %s + "
        + "activations %s at micro batch %d x %d tokens", mib(totalBytes()), mib(baseBytes), mib(loraBytes),
        mib(activationBytes), microBatch, seqLen);
  }

  /** Refuses to start when the estimate exceeds the free memory of a device (what {@code where} names). */
  public void requireFits(String where, long freeBytes) {
    if (totalBytes() > freeBytes) {
      throw new ModelException(where + " has " + mib(freeBytes) + " free, but one client needs about "
          + mib(totalBytes()) + " (" + describe().substring(describe().indexOf('=') + 2) + "); lower "
          + "train.micro_batch_size or data.cutoff_len, use model.dtype float16, or use a larger GPU");
    }
  }

  /** {@link #requireFits} against a GPU's free memory as CUDA reports it; nothing for the CPU. */
  public void requireFitsOn(Device device) {
    if (!device.isGpu()) return;
    MemoryUsage m = CudaUtils.getGpuMemory(device);
    requireFits("GPU " + device.getDeviceId(), m.getMax() - m.getCommitted());
  }

  static String mib(long bytes) {
    return bytes >= 10L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
