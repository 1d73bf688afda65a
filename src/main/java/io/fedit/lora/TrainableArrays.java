package io.fedit.lora;

/**
 * Which LoRA arrays a local training run updates. Every A keeps its initial value exactly under
 * {@link #B_ONLY} (FFA-LoRA, Sun et al. 2024: with A frozen the mean of the clients' B is the mean of their
 * products B·A, so aggregation is exact); {@link #A_AND_B} is plain LoRA.
 */
public enum TrainableArrays {
  A_AND_B,
  B_ONLY
}
