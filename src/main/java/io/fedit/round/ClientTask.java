package io.fedit.round;

import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainResult;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.prepare.ClientTable;
import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import io.fedit.federation.RoundPlan;
import io.fedit.lora.AdapterWeights;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
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
  private final Broadcast<HadoopConfCopy> hadoopConf;

  /** @param hadoopConf the job's Hadoop configuration: executors read rows and the model with it */
  ClientTask(RunConfig cfg, String modelHash, RoundPlan plan, Map<String, String> clientDirs,
      Broadcast<AdapterWeights> global, Broadcast<HadoopConfCopy> hadoopConf) {
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
    DeviceChoice device = DeviceChoice.of(cfg.model(), gpuAddresses(ctx));
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    try {
      Configuration conf = hadoopConf.value().get();
      List<InstructionRecord> records = ClientTable.read(clientDirs.get(clientId), conf);
      ExecutorModels.Loaded m = ExecutorModels.get(cfg.model().path(), modelHash, cfg.model().dtype(), device, conf);
      TrainResult r = new LocalTrainer(m.model(), m.tokenizer(), cfg)
          .train(records, global.value(), plan.seedOf(clientId), threads);
      ClientUpdate u = new ClientUpdate(plan.round(), clientId, attempt, r.metrics().examples(), r.adapter(), r.metrics());
      return ClientOutcome.of(u, device.toString());
    } catch (RuntimeException e) {
      // A training error is an ordinary result of the round; the driver records it.
      LOG.warn("client {} failed in round {} (attempt {})", clientId, plan.round(), attempt, e);
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      return ClientOutcome.failed(new ClientFailure(plan.round(), clientId, attempt, reason), device.toString());
    }
  }

  private static List<String> gpuAddresses(TaskContext ctx) {
    if (ctx == null) return List.of();
    scala.Option<ResourceInformation> gpu = ctx.resources().get("gpu");
    return gpu.isDefined() ? List.of(gpu.get().addresses()) : List.of();
  }
}
