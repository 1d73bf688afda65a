package io.fedit.round;

import io.fedit.checkpoint.CheckpointStore.ClientStateRef;
import io.fedit.checkpoint.RoundExtras;
import io.fedit.client.ControlVariateTerm;
import io.fedit.client.LocalTrainer;
import io.fedit.client.LossTerm;
import io.fedit.client.ProximalTerm;
import io.fedit.client.TrainResult;
import io.fedit.client.TrainingObjective;
import io.fedit.data.InstructionRecord;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.privacy.DeltaClipping;
import io.fedit.federation.strategy.Scaffold;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;

/**
 * The client side of a round's {@link ClientInstructions}, shipped with the round's task: it turns each
 * instruction into local training work without knowing the strategy or reading federation settings.
 * Proximal → {@link ProximalTerm}; control variates → SCAFFOLD's correction (server variate c broadcast, the
 * client's own c_i read by the task from the round that last stored it, its new c_i returned with the update
 * and committed with the round); trainable arrays → the trainer's {@link TrainingObjective}; clipping → the
 * delta clipped before it leaves the executor.
 *
 * @param control      the server variate c, broadcast when the strategy keeps one; null otherwise
 * @param clientStates sampled client → its newest committed c_i file; absent = c_i is 0
 */
record ClientRecipe(Broadcast<AdapterWeights> control, Map<String, ClientStateRef> clientStates)
    implements Serializable {

  /**
   * Trains one client as {@code instructions} say and turns the result into its update.
   *
   * @param conf the job's Hadoop configuration (shipped from the driver), to read the client's own state with
   */
  ClientUpdate train(LocalTrainer trainer, LlamaConfig model, List<InstructionRecord> records, AdapterWeights global,
      long seed, ClientInstructions instructions, int threads, int round, String clientId, int attempt,
      Configuration conf) {
    List<LossTerm> terms = new ArrayList<>();
    if (instructions.proximal() != null) {
      terms.add(new ProximalTerm(model, global, instructions.proximal().mu()));
    }
    ClientInstructions.ControlVariates variates = instructions.controlVariates();
    AdapterWeights c = null, ci = null;
    if (variates != null) {
      if (control == null) {
        throw new IllegalStateException("client " + clientId + " round " + round
            + ": instructed to use control variates, but the round broadcast no server variate");
      }
      c = control.value();
      ci = readOwnState(clientId, conf);
      terms.add(new ControlVariateTerm(model, Scaffold.correction(c, ci)));
    }
    TrainResult r = trainer.train(records, global, seed, threads, new TrainingObjective(terms, instructions.trainable()));
    AdapterWeights adapter = r.adapter();
    AdapterWeights nextCi = variates == null ? null
        : Scaffold.nextClientVariate(ci, c, global, adapter, r.metrics().steps(), variates.localLearningRate());
    double preClipNorm = Double.NaN;
    if (instructions.clipping() != null) {
      DeltaClipping.Clipped clipped = DeltaClipping.clip(global, adapter, instructions.clipping().norm());
      adapter = clipped.adapter();
      preClipNorm = clipped.preClipNorm();
    }
    return new ClientUpdate(round, clientId, attempt, r.metrics().examples(), adapter, r.metrics(), preClipNorm, nextCi);
  }

  private AdapterWeights readOwnState(String clientId, Configuration conf) {
    ClientStateRef ref = clientStates.get(clientId);
    if (ref == null) return null;
    try {
      return RoundExtras.readClientState(ref.path(), ref.size(), ref.sha256(), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("client " + clientId + ": cannot read its SCAFFOLD state " + ref.path(), e);
    }
  }
}
