package io.fedit.federation.privacy;

import io.fedit.federation.update.AdapterMath;
import io.fedit.lora.AdapterWeights;

/**
 * DP-FedAvg's per-client clipping (McMahan et al. 2018), run on the executor that trained the client:
 * Δ = θ − x is scaled by min(1, C / ||Δ||₂) (norm over all tensors), and the client sends x + clipped Δ.
 */
public final class DeltaClipping {
  private DeltaClipping() {}

  /** The adapter after clipping and the delta's norm before it. */
  public record Clipped(AdapterWeights adapter, double preClipNorm) {}

  public static Clipped clip(AdapterWeights global, AdapterWeights trained, double clipNorm) {
    double norm = trained.distanceTo(global);
    if (norm <= clipNorm) return new Clipped(trained, norm);
    double scale = clipNorm / norm;
    return new Clipped(AdapterMath.map(v -> v[1] + scale * (v[0] - v[1]), trained, global), norm);
  }
}
