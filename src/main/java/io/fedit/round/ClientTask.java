package io.fedit.round;

import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainResult;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import io.fedit.federation.RoundPlan;
import io.fedit.lora.AdapterWeights;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * What one Spark task runs: the local training of one sampled client on its own rows. Input: the
 * client's rows (one partition holds exactly one client; see {@link ClientIdPartitioner}); output: one
 * {@link ClientOutcome} with the update (adapter tensors and numbers only, never text) or the failure.
 */
final class ClientTask implements FlatMapFunction<Iterator<Tuple2<String, Row>>, ClientOutcome> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTask.class);

  private final RunConfig cfg;
  private final String modelHash;
  private final RoundPlan plan;
  private final Broadcast<AdapterWeights> global;

  ClientTask(RunConfig cfg, String modelHash, RoundPlan plan, Broadcast<AdapterWeights> global) {
    this.cfg = cfg;
    this.modelHash = modelHash;
    this.plan = plan;
    this.global = global;
  }

  @Override
  public Iterator<ClientOutcome> call(Iterator<Tuple2<String, Row>> rows) {
    String clientId = null;
    List<InstructionRecord> records = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    while (rows.hasNext()) {
      Tuple2<String, Row> t = rows.next();
      clientId = t._1();
      Row r = t._2();
      ids.add(r.getLong(r.fieldIndex("record_id")));
      records.add(new InstructionRecord(r.getString(r.fieldIndex("source_file")), r.getLong(r.fieldIndex("source_line")),
          r.getString(r.fieldIndex("instruction")), r.getString(r.fieldIndex("context")),
          r.getString(r.fieldIndex("response")), r.getString(r.fieldIndex("category")), null));
    }
    if (clientId == null) return List.<ClientOutcome>of().iterator();
    records = inRecordOrder(records, ids);

    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 0 : ctx.attemptNumber();
    DeviceChoice device = DeviceChoice.of(cfg.model(), gpuAddresses(ctx));
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    try {
      ExecutorModels.Loaded m = ExecutorModels.get(cfg.model().path(), modelHash, cfg.model().dtype(), device);
      TrainResult r = new LocalTrainer(m.model(), m.tokenizer(), cfg)
          .train(records, global.value(), plan.seedOf(clientId), threads);
      ClientUpdate u = new ClientUpdate(plan.round(), clientId, attempt, r.metrics().examples(), r.adapter(), r.metrics());
      return List.of(ClientOutcome.of(u, device.toString())).iterator();
    } catch (RuntimeException e) {
      // A training error is an ordinary result of the round; the driver records it.
      LOG.warn("client {} failed in round {} (attempt {})", clientId, plan.round(), attempt, e);
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      return List.of(ClientOutcome.failed(new ClientFailure(plan.round(), clientId, attempt, reason), device.toString()))
          .iterator();
    }
  }

  /** The shuffle delivers rows in no fixed order; training order must not depend on it. */
  private static List<InstructionRecord> inRecordOrder(List<InstructionRecord> records, List<Long> ids) {
    Integer[] order = new Integer[records.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, Comparator.comparing(ids::get));
    List<InstructionRecord> out = new ArrayList<>(records.size());
    for (Integer i : order) out.add(records.get(i));
    return out;
  }

  private static List<String> gpuAddresses(TaskContext ctx) {
    if (ctx == null) return List.of();
    scala.Option<ResourceInformation> gpu = ctx.resources().get("gpu");
    return gpu.isDefined() ? List.of(gpu.get().addresses()) : List.of();
  }
}
