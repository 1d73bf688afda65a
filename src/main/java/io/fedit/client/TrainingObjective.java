package io.fedit.client;

import io.fedit.lora.TrainableArrays;
import java.util.List;
import java.util.Objects;

/**
 * What one local training run minimises and which arrays it moves: the token NLL plus {@code extraTerms}
 * (added once per optimizer step: FedProx's proximal term, SCAFFOLD's correction), over the LoRA arrays that
 * {@code trainable} names (FFA-LoRA: B only). The caller builds it from its strategy's instructions; the
 * trainer itself reads no federation setting.
 */
public record TrainingObjective(List<LossTerm> extraTerms, TrainableArrays trainable) {
  /** The token NLL alone, every LoRA array trained. */
  public static final TrainingObjective PLAIN = new TrainingObjective(List.of(), TrainableArrays.A_AND_B);

  public TrainingObjective {
    extraTerms = List.copyOf(extraTerms);
    Objects.requireNonNull(trainable, "trainable");
  }

  /** The token NLL alone over {@code trainable}. */
  public static TrainingObjective of(TrainableArrays trainable) {
    return new TrainingObjective(List.of(), trainable);
  }
}
