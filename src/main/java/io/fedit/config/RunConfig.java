package io.fedit.config;

import java.io.Serializable;

/**
 * The whole, immutable configuration of a run. Built only by {@link ConfigLoader} (defaults from
 * conf/default.yaml, then a user file, then --set overrides); every section validates itself.
 */
public record RunConfig(
    RunSection run,
    OutputSection output,
    ModelSection model,
    DataSection data,
    PartitionSection partition,
    LoraSection lora,
    TrainSection train,
    FederationSection federation,
    PrivacySection privacy,
    CheckpointSection checkpoint,
    EvalSection eval,
    JudgeSection judge,
    ExperimentSection experiment,
    AttackSection attack)
    implements Serializable {

  public RunConfig {
    String[] names = {"run", "output", "model", "data", "partition", "lora", "train", "federation",
        "privacy", "checkpoint", "eval", "judge", "experiment", "attack"};
    Object[] values = {run, output, model, data, partition, lora, train, federation, privacy, checkpoint, eval,
        judge, experiment, attack};
    for (int i = 0; i < names.length; i++) {
      if (values[i] == null) throw new IllegalArgumentException("configuration section '" + names[i] + "' is missing");
    }
    if (partition.method().equals("column") && data.clientKeyColumn() == null) {
      throw new IllegalArgumentException(
          "partition.method 'column' needs data.client_key_column to name the client column");
    }
  }

  /** The run directory: {@code <output.dir>/<run.name>}. */
  public String runDir() {
    String base = output.dir();
    return (base.endsWith("/") ? base : base + "/") + run.name();
  }
}
