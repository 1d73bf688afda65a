package io.fedit.federation.plan;

import io.fedit.lora.TrainableArrays;
import java.io.Serializable;
import java.util.Objects;

/**
 * What a strategy tells one client to do in a round beyond plain local training, as data the client side
 * executes without knowing the strategy or reading federation settings:
 * <ul>
 *   <li>which loss terms join the token loss: FedProx's proximal term ({@link Proximal}), SCAFFOLD's
 *       control-variate correction ({@link ControlVariates});</li>
 *   <li>which LoRA arrays train ({@link TrainableArrays}: FFA-LoRA freezes every A);</li>
 *   <li>which per-client state the client reads and writes: under {@link ControlVariates} its own variate
 *       c_i, read from the round that last stored it and returned, updated, with its update;</li>
 *   <li>how the delta is clipped before it leaves the client ({@link Clipping}, DP-FedAvg).</li>
 * </ul>
 * A null part is an instruction not given. A new strategy composes these; a new kind of client-side work
 * adds a part here and its execution on the client side.
 */
public record ClientInstructions(Proximal proximal, ControlVariates controlVariates, TrainableArrays trainable,
    Clipping clipping) implements Serializable {

  /** Token loss alone, every LoRA array trained, no client state, no clipping. */
  public static final ClientInstructions PLAIN = new ClientInstructions(null, null, TrainableArrays.A_AND_B, null);

  /** FedProx: add mu/2 · ||w − x||² (x the round's global adapter) to the loss. */
  public record Proximal(double mu) implements Serializable {
    public Proximal {
      if (!(mu >= 0)) throw new IllegalArgumentException("federation.prox_mu must be >= 0, got " + mu);
    }
  }

  /**
   * SCAFFOLD: add &lt;w, c − c_i&gt; to the loss (c the server variate the round broadcasts, c_i the client's
   * own, 0 before its first round), and return c_i + Δc_i with Δc_i = −c + (x − y)/(K · localLearningRate).
   */
  public record ControlVariates(double localLearningRate) implements Serializable {
    public ControlVariates {
      if (!(localLearningRate > 0)) {
        throw new IllegalArgumentException("SCAFFOLD needs train.learning_rate > 0, got " + localLearningRate);
      }
    }
  }

  /** DP-FedAvg: scale the delta θ − x by min(1, norm / ||θ − x||₂) before it leaves the client. */
  public record Clipping(double norm) implements Serializable {
    public Clipping {
      if (!(norm > 0)) throw new IllegalArgumentException("privacy.clip_norm must be > 0, got " + norm);
    }
  }

  public ClientInstructions {
    Objects.requireNonNull(trainable, "trainable");
  }

  public ClientInstructions withProximal(double mu) {
    return new ClientInstructions(new Proximal(mu), controlVariates, trainable, clipping);
  }

  public ClientInstructions withControlVariates(double localLearningRate) {
    return new ClientInstructions(proximal, new ControlVariates(localLearningRate), trainable, clipping);
  }

  public ClientInstructions withTrainable(TrainableArrays arrays) {
    return new ClientInstructions(proximal, controlVariates, arrays, clipping);
  }

  public ClientInstructions withClipping(double norm) {
    return new ClientInstructions(proximal, controlVariates, trainable, new Clipping(norm));
  }
}
