package io.fedit.experiment;

import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainResult;
import io.fedit.client.TrainingExample;
import io.fedit.client.TrainingObjective;
import io.fedit.data.InstructionRecord;
import io.fedit.federation.strategy.Strategies;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.DeviceChoice;
import io.fedit.model.ModelCache;
import io.fedit.prepare.ClientTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one task of the solo arms runs: read the rows of its spec's client directories where it runs (text never
 * goes to the driver), train with the unchanged {@link LocalTrainer} from the federated run's initial adapter, and
 * return the adapter and the training metrics. The base model comes from the executor's cache, as for rounds.
 */
final class SoloTask implements FlatMapFunction<Iterator<SoloSpec>, SoloTask.Outcome> {
  private static final Logger LOG = LoggerFactory.getLogger(SoloTask.class);

  /** A trained solo model. */
  record Outcome(SoloSpec spec, TrainResult result) implements Serializable {}

  private final String modelHash;
  private final Broadcast<AdapterWeights> start;
  private final Broadcast<io.fedit.fs.HadoopConfCopy> hadoopConf; // the job's Hadoop configuration

  SoloTask(String modelHash, Broadcast<AdapterWeights> start, Broadcast<io.fedit.fs.HadoopConfCopy> hadoopConf) {
    this.modelHash = modelHash;
    this.start = start;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<Outcome> call(Iterator<SoloSpec> specs) {
    List<Outcome> out = new ArrayList<>();
    while (specs.hasNext()) {
      SoloSpec spec = specs.next();
      long t0 = System.nanoTime();
      Outcome o = train(spec);
      // A solo model trains for many minutes without other output: one line each, so a user sees progress.
      LOG.info(String.format(Locale.ROOT, "%s trained: %,d tokens in %d steps, %.1f s", spec.label(),
          o.result().metrics().tokens(), o.result().metrics().steps(), (System.nanoTime() - t0) / 1e9));
      out.add(o);
    }
    return out.iterator();
  }

  private Outcome train(SoloSpec spec) {
    TaskContext ctx = TaskContext.get();
    var cfg = spec.trainCfg();
    DeviceChoice device = DeviceChoice.forTask(cfg.model(), ctx);
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    Configuration conf = hadoopConf.value().get();
    List<InstructionRecord> records = new ArrayList<>();
    for (String dir : spec.clientDirs()) records.addAll(ClientTable.read(dir, conf));
    ModelCache.Loaded m = ModelCache.get(cfg.model().path(), modelHash, cfg.model().dtype(), device, null, conf);
    // The token loss alone, over the arrays the federated run's clients train (FFA-LoRA: B only).
    TrainingObjective objective = TrainingObjective.of(Strategies.trainableArrays(cfg));
    if (spec.targetTokens() <= 0) {
      return new Outcome(spec,
          new LocalTrainer(m.model(), m.tokenizer(), cfg).train(records, start.value(), spec.seed(), threads, objective));
    }
    List<TrainingExample> examples = new LocalTrainer(m.model(), m.tokenizer(), cfg).examples(records);
    int steps = TokenBudget.stepsForTokens(examples, cfg.train(), spec.seed(), spec.targetTokens());
    LocalTrainer trainer = new LocalTrainer(m.model(), m.tokenizer(), ArmConfigs.withBudget(cfg, cfg.train().localEpochs(), steps));
    return new Outcome(spec, trainer.trainExamples(examples, records.size(), start.value(), spec.seed(), threads, objective));
  }
}
