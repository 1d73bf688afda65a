package io.fedit.federation.strategy;

import io.fedit.federation.aggregation.DeltaAggregator;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.server.ServerSgd;
import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SCAFFOLD (Karimireddy et al. 2020, option II of Algorithm 1) on LoRA tensors.
 * <pre>
 *   client i, from x with server variate c and its own c_i (0 at first):
 *     local steps on the loss + &lt;w, c − c_i&gt;   (gradient g_i(w) + c − c_i: the paper's correction)
 *     Δc_i = −c + (x − y_i) / (K_i · lr_local)     K_i its optimizer steps, lr_local train.learning_rate
 *     c_i ← c_i + Δc_i                              (stored with the round, per client)
 *   server:
 *     x ← x + server_lr · Σ n_k (y_k − x) / Σ n_k   (example-weighted, like FedAvg)
 *     c ← c + (1/N) · Σ_{i accepted} Δc_i            N = number of clients in the population
 * </pre>
 * The clients use AdamW, not plain SGD: (x − y_i)/(K lr) is then the mean effective step, as in the
 * paper's option II. State: {@code control} (c, float32); the client variates live in the rounds.
 */
public final class Scaffold extends DeltaStrategy {
  static final String CONTROL = "control";
  private final double localLr;
  private AdapterWeights c; // null: zeros (before the first round)
  private int population;

  private Scaffold(ClientSampler sampler, DeltaAggregator aggregator, double serverLr, double localLr,
      ClientInstructions instructions) {
    super("scaffold", sampler, aggregator, new ServerSgd(serverLr), instructions.withControlVariates(localLr));
    this.localLr = localLr;
  }

  /** SCAFFOLD whose clients otherwise train plainly. */
  static Scaffold create(ClientSampler sampler, DeltaAggregator aggregator, double serverLr, double localLr) {
    return create(sampler, aggregator, serverLr, localLr, ClientInstructions.PLAIN);
  }

  /**
   * SCAFFOLD whose clients follow {@code common} (trainable arrays) plus the control-variate instruction:
   * correct the gradient by c − c_i, read their c_i, return the next one.
   */
  static Scaffold create(ClientSampler sampler, DeltaAggregator aggregator, double serverLr, double localLr,
      ClientInstructions common) {
    if (!(localLr > 0)) {
      throw new IllegalArgumentException("federation.strategy 'scaffold' needs train.learning_rate > 0, got " + localLr);
    }
    return new Scaffold(sampler, aggregator, serverLr, localLr, common);
  }

  /** Δc_i = −c + (x − y) / (steps · lr): what one client's variate moves by (client and server use it). */
  public static AdapterWeights controlDelta(AdapterWeights c, AdapterWeights x, AdapterWeights y, int steps,
      double lr) {
    double denom = steps * lr;
    return AdapterMath.map(v -> -v[0] + (v[1] - v[2]) / denom, c, x, y);
  }

  /** c − c_i, the gradient correction of a client's local steps; {@code ci} null means 0. */
  public static AdapterWeights correction(AdapterWeights c, AdapterWeights ci) {
    return ci == null ? c : AdapterMath.map(v -> v[0] - v[1], c, ci);
  }

  /** The client's new variate c_i + Δc_i; {@code ci} null means 0. */
  public static AdapterWeights nextClientVariate(AdapterWeights ci, AdapterWeights c, AdapterWeights x,
      AdapterWeights y, int steps, double lr) {
    AdapterWeights d = controlDelta(c, x, y, steps, lr);
    return ci == null ? d : AdapterMath.map(v -> v[0] + v[1], ci, d);
  }

  @Override
  public RoundPlan configureRound(int round, List<String> population) {
    this.population = population.size();
    return super.configureRound(round, population);
  }

  @Override
  public AdapterWeights controlVariate(AdapterWeights layout) {
    return c != null ? c : AdapterMath.filled(layout, 0f);
  }

  /**
   * c ← c + (1/N) Σ_{k accepted} Δc_k with Δc_k = −c + (x − y_k)/(K_k lr): the sum of the (x − y_k)/(K_k lr)
   * terms is a weighted delta sum (weights −1/(K_k lr)), computed where the updates are; then − |A| · c.
   */
  @Override
  protected void afterStep(int round, AdapterWeights global, UpdateSet accepted, int sampled) {
    if (population <= 0) throw new IllegalStateException("scaffold: aggregate before configureRound");
    AdapterWeights cOld = controlVariate(global);
    List<ClientUpdate> us = accepted.updates();
    double[] coef = new double[us.size()];
    for (int k = 0; k < coef.length; k++) coef[k] = -1.0 / (us.get(k).metrics().steps() * localLr);
    double[] steps = accepted.reduce(global, CoordinateRule.weightedDeltaSum(coef));
    Map<String, float[]> old = new LinkedHashMap<>();
    cOld.tensors().forEach((n, t) -> old.put(n, t.values()));
    int[] offset = {0};
    Map<String, Integer> starts = new LinkedHashMap<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : global.tensors().entrySet()) {
      starts.put(e.getKey(), offset[0]);
      offset[0] += e.getValue().values().length;
    }
    int n = coef.length;
    c = AdapterMath.unflatten(global, steps, (t, i, v) -> {
      double cv = old.get(t)[i - starts.get(t)];
      return cv + (v - n * cv) / population;
    });
  }

  @Override
  public Map<String, AdapterWeights> state() {
    Map<String, AdapterWeights> s = new LinkedHashMap<>(super.state());
    if (c != null) s.put(CONTROL, c);
    return s;
  }

  @Override
  public void restoreState(Map<String, AdapterWeights> state) {
    Map<String, AdapterWeights> rest = new LinkedHashMap<>(state);
    c = rest.remove(CONTROL);
    super.restoreState(rest);
  }
}
