package io.fedit.federation.update;

import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;

/**
 * An {@link UpdateSet} whose tensors are in memory: each tensor is one block of the rule, so the result equals
 * the distributed computation's coordinate for coordinate (the rules are coordinate-wise).
 */
final class LocalUpdateSet implements UpdateSet {
  private final List<ClientUpdate> updates;

  LocalUpdateSet(List<ClientUpdate> updates) {
    for (ClientUpdate u : updates) {
      if (u.adapter() == null) throw new IllegalArgumentException(u.key() + " carries no tensors");
    }
    this.updates = List.copyOf(updates);
  }

  @Override
  public List<ClientUpdate> updates() {
    return updates;
  }

  @Override
  public double[] deltaNorms(AdapterWeights global) {
    double[] n = new double[updates.size()];
    for (int k = 0; k < n.length; k++) n[k] = updates.get(k).adapter().distanceTo(global);
    return n;
  }

  @Override
  public double[] squaredDistances(AdapterWeights global) {
    int k = updates.size();
    double[] total = new double[k * k];
    float[][] values = new float[k][];
    for (String name : global.tensors().keySet()) {
      for (int c = 0; c < k; c++) values[c] = updates.get(c).adapter().get(name).values();
      PairwiseDistances.add(total, PairwiseDistances.ofBlock(values));
    }
    return total;
  }

  @Override
  public double[] reduce(AdapterWeights global, CoordinateRule rule) {
    double[] out = new double[Math.toIntExact(global.parameterCount())];
    int at = 0;
    float[][] values = new float[updates.size()][];
    for (Map.Entry<String, AdapterWeights.Tensor> e : global.tensors().entrySet()) {
      for (int k = 0; k < values.length; k++) values[k] = updates.get(k).adapter().get(e.getKey()).values();
      double[] r = rule.apply(values, e.getValue().values());
      System.arraycopy(r, 0, out, at, r.length);
      at += r.length;
    }
    return out;
  }
}
