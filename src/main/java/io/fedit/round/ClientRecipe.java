package io.fedit.round;

import io.fedit.checkpoint.CheckpointStore.ClientStateRef;
import io.fedit.checkpoint.RoundExtras;
import io.fedit.client.ControlVariateTerm;
import io.fedit.client.LocalTrainer;
import io.fedit.client.LossTerm;
import io.fedit.client.ProximalTerm;
import io.fedit.client.TrainResult;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.federation.ClientUpdate;
import io.fedit.federation.DeltaClipping;
import io.fedit.federation.Scaffold;
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
 * What the strategy asks of a client beyond plain local training, shipped with the round's task:
 * FedProx's proximal term, SCAFFOLD's correction (server variate c broadcast, the client's own c_i read by
 * the task from the round that last stored it, its new c_i returned with the update and committed with the
 * round), and DP clipping of the delta before it leaves the executor. FFA-LoRA is read by the trainer
 * from the configuration itself.
 *
 * @param control      SCAFFOLD's server variate c; null for other strategies
 * @param clientStates SCAFFOLD: sampled client → its newest committed c_i file; absent = c_i is 0
 */
record ClientRecipe(RunConfig cfg, Broadcast<AdapterWeights> control, Map<String, ClientStateRef> clientStates)
    implements Serializable {

  /**
   * Trains one client and turns the result into its update.
   *
   * @param conf the job's Hadoop configuration (shipped from the driver), to read the client's own state with
   */
  ClientUpdate train(LocalTrainer trainer, LlamaConfig model, List<InstructionRecord> records, AdapterWeights global,
      long seed, int threads, int round, String clientId, int attempt, Configuration conf) {
    List<LossTerm> terms = new ArrayList<>();
    if (cfg.federation().strategy().equals("fedprox")) {
      terms.add(new ProximalTerm(model, global, cfg.federation().proxMu()));
    }
    AdapterWeights c = null, ci = null;
    if (control != null) {
      c = control.value();
      ci = readOwnState(clientId, conf);
      terms.add(new ControlVariateTerm(model, Scaffold.correction(c, ci)));
    }
    TrainResult r = trainer.train(records, global, seed, threads, terms);
    AdapterWeights adapter = r.adapter();
    AdapterWeights nextCi = control == null ? null
        : Scaffold.nextClientVariate(ci, c, global, adapter, r.metrics().steps(), cfg.train().learningRate());
    double preClipNorm = Double.NaN;
    if (cfg.privacy().enabled()) {
      DeltaClipping.Clipped clipped = DeltaClipping.clip(global, adapter, cfg.privacy().clipNorm());
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
