package io.fedit.round;

import io.fedit.client.LocalTrainer;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.prepare.ClientTable;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.attack.AttackSimulation;
import io.fedit.federation.validation.UpdateValidator;
import io.fedit.checkpoint.StagedClientFiles;
import io.fedit.checkpoint.UpdateFile;
import io.fedit.fault.FaultPoints;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.DeviceChoice;
import io.fedit.model.Compute;
import io.fedit.model.MemoryEstimate;
import io.fedit.model.ModelException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Spark task runs: the local training of one sampled client on its own rows, which the task
 * reads itself from the client's directory of the prepared table. Input: one client id (the round's RDD
 * has one partition per sampled client); output: one {@link ClientOutcome} with the update's numbers and the
 * executor's verdict on it (its tensors are written to the round's staging directory, never sent) or the failure.
 */
final class ClientTask implements FlatMapFunction<Iterator<String>, ClientOutcome> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTask.class);

  private final RunConfig cfg;
  private final String modelHash;
  private final RoundPlan plan;
  private final Map<String, String> clientDirs;
  private final Broadcast<AdapterWeights> global;
  private final ClientRecipe recipe;
  private final Broadcast<HadoopConfCopy> hadoopConf;
  private final String stagingDir;
  private final java.util.Set<String> attackers;

  /**
   * @param hadoopConf the job's Hadoop configuration: executors read rows and the model with it
   * @param stagingDir the round's staging directory (fully qualified), where accepted updates are written
   * @param attackers  EXPERIMENTS ONLY: the clients of this round that poison their update (attack.*)
   */
  ClientTask(RunConfig cfg, String modelHash, RoundPlan plan, Map<String, String> clientDirs,
      Broadcast<AdapterWeights> global, ClientRecipe recipe, Broadcast<HadoopConfCopy> hadoopConf,
      String stagingDir, java.util.Set<String> attackers) {
    this.stagingDir = stagingDir;
    this.attackers = java.util.Set.copyOf(attackers);
    this.recipe = recipe;
    this.cfg = cfg;
    this.modelHash = modelHash;
    this.plan = plan;
    this.clientDirs = Map.copyOf(clientDirs);
    this.global = global;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<ClientOutcome> call(Iterator<String> clientIds) {
    List<ClientOutcome> out = new ArrayList<>();
    while (clientIds.hasNext()) out.add(train(clientIds.next()));
    return out.iterator();
  }

  /**
   * Validates the update here, where its tensors are, and writes an accepted one's files into the staging
   * directory; the driver gets the verdict and the paths. A rejected update writes nothing.
   */
  private ClientOutcome.Staged stage(ClientUpdate u, Configuration conf) {
    UpdateValidator.Verdict v = new UpdateValidator().validate(plan.round(), global.value(), u);
    if (!v.accepted()) return new ClientOutcome.Staged(false, v.reason(), v.updateNorm(), null, 0, null, null);
    try {
      var file = StagedClientFiles.updateFile(stagingDir, u.clientId(), u.attempt());
      long bytes = UpdateFile.write(conf, file, u.adapter());
      String state = u.controlVariate() == null ? null
          : StagedClientFiles.writeClientState(conf, stagingDir, u.clientId(), u.attempt(), u.controlVariate()).toString();
      String kept = !cfg.checkpoint().keepClientUpdates() ? null
          : StagedClientFiles.writeKeptUpdate(conf, stagingDir, u.clientId(), u.attempt(), u.adapter()).toString();
      return new ClientOutcome.Staged(true, null, v.updateNorm(), file.toString(), bytes, state, kept);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("client " + u.clientId() + ": cannot write its update to " + stagingDir, e);
    }
  }

  private ClientOutcome train(String clientId) {
    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 0 : ctx.attemptNumber();
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    DeviceChoice device = null;
    try {
      // Inside the try: a device this executor cannot give (model.device gpu without a usable GPU) fails this
      // client with one line, as any client error, instead of failing the Spark task with a trace.
      device = DeviceChoice.forTask(cfg.model(), ctx);
      device.requireUsable();
      FaultPoints faults = FaultPoints.installed();
      faults.clientStarts(clientId);
      Configuration conf = hadoopConf.value().get();
      List<InstructionRecord> records = ClientTable.read(clientDirs.get(clientId), conf);
      ExecutorModels.Loaded m = ExecutorModels.get(cfg.model().path(), modelHash, cfg.model().dtype(), device,
          c -> MemoryEstimate.of(c, Compute.dtype(cfg.model().dtype()), cfg.lora(), cfg.train().microBatchSize(),
              cfg.data().cutoffLen()), conf);
      LocalTrainer trainer = new LocalTrainer(m.model(), m.tokenizer(), cfg);
      trainer.setStepListener((step, loss, live) -> {
        faults.reached(FaultPoints.Point.TRAINING, plan.round());
        // A round that stopped waiting (deadline, enough clients) cancels its job: stop at the next step.
        if (ctx != null) ctx.killTaskIfInterrupted();
      });
      ClientUpdate trained = recipe.train(trainer, m.model().config(), records, global.value(), plan.seedOf(clientId),
          plan.instructionsFor(clientId), threads, plan.round(), clientId, attempt, conf);
      AdapterWeights sent = trained.adapter();
      if (attackers.contains(clientId)) {
        LOG.warn("EXPERIMENT attack.*: client {} of round {} sends its delta scaled by {}", clientId, plan.round(),
            cfg.attack().scale());
        sent = AttackSimulation.poison(global.value(), sent, cfg.attack().scale());
      }
      ClientUpdate u = new ClientUpdate(trained.round(), clientId, attempt, trained.exampleCount(),
          faults.updateToSend(clientId, sent), trained.metrics(), trained.preClipNorm(),
          trained.controlVariate());
      return ClientOutcome.of(u.withoutTensors(), device.toString(), stage(u, conf));
    } catch (RuntimeException e) {
      // A killed task (its round was cancelled) ends as killed, not as a failed client; what it may have staged
      // goes with the round's staging directory.
      if (ctx != null && ctx.isInterrupted()) throw e;
      // A training error is an ordinary result of the round; the driver records it.
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (e instanceof ModelException || e instanceof IllegalStateException && device == null) {
        // A refused model or device: the message says it all (no trace in the executor log).
        LOG.warn("client {} failed in round {} (attempt {}): {}", clientId, plan.round(), attempt, reason);
      } else {
        LOG.warn("client {} failed in round {} (attempt {})", clientId, plan.round(), attempt, e);
      }
      return ClientOutcome.failed(new ClientFailure(plan.round(), clientId, attempt, reason),
          device == null ? cfg.model().device() : device.toString());
    }
  }
}
