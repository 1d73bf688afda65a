package io.fedit.round;

import io.fedit.client.LocalTrainer;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.prepare.ClientTable;
import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import io.fedit.federation.RoundPlan;
import io.fedit.federation.TestFaults;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.DeviceChoice;
import io.fedit.model.Compute;
import io.fedit.model.MemoryEstimate;
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
 * has one partition per sampled client); output: one {@link ClientOutcome} with the update (adapter
 * tensors and numbers only, never text) or the failure.
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

  /** @param hadoopConf the job's Hadoop configuration: executors read rows and the model with it */
  ClientTask(RunConfig cfg, String modelHash, RoundPlan plan, Map<String, String> clientDirs,
      Broadcast<AdapterWeights> global, ClientRecipe recipe, Broadcast<HadoopConfCopy> hadoopConf) {
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

  private ClientOutcome train(String clientId) {
    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 0 : ctx.attemptNumber();
    DeviceChoice device = DeviceChoice.forTask(cfg.model(), ctx);
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    try {
      TestFaults.throwIfFaulty(clientId);
      TestFaults.sleepIfSlow(clientId);
      Configuration conf = hadoopConf.value().get();
      List<InstructionRecord> records = ClientTable.read(clientDirs.get(clientId), conf);
      ExecutorModels.Loaded m = ExecutorModels.get(cfg.model().path(), modelHash, cfg.model().dtype(), device,
          c -> MemoryEstimate.of(c, Compute.dtype(cfg.model().dtype()), cfg.lora(), cfg.train().microBatchSize(),
              cfg.data().cutoffLen()), conf);
      LocalTrainer trainer = new LocalTrainer(m.model(), m.tokenizer(), cfg);
      trainer.setStepListener((step, loss, live) -> {
        TestFaults.haltIf("training", plan.round());
        // A round that stopped waiting (deadline, enough clients) cancels its job: stop at the next step.
        if (ctx != null) ctx.killTaskIfInterrupted();
      });
      ClientUpdate trained = recipe.train(trainer, m.model().config(), records, global.value(), plan.seedOf(clientId),
          threads, plan.round(), clientId, attempt, conf);
      ClientUpdate u = new ClientUpdate(trained.round(), clientId, attempt, trained.exampleCount(),
          TestFaults.poisonIfFaulty(clientId, trained.adapter()), trained.metrics(), trained.preClipNorm(),
          trained.controlVariate());
      return ClientOutcome.of(u, device.toString());
    } catch (RuntimeException e) {
      // A killed task (its round was cancelled) ends as killed, not as a failed client; it wrote nothing.
      if (ctx != null && ctx.isInterrupted()) throw e;
      // A training error is an ordinary result of the round; the driver records it.
      LOG.warn("client {} failed in round {} (attempt {})", clientId, plan.round(), attempt, e);
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      return ClientOutcome.failed(new ClientFailure(plan.round(), clientId, attempt, reason), device.toString());
    }
  }
}
