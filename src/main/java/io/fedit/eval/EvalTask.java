package io.fedit.eval;

import ai.djl.pytorch.jni.JniUtils;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.data.PromptTemplate;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraAdapter;
import io.fedit.model.DeviceChoice;
import io.fedit.model.ModelCache;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one evaluation task runs over its share of the records: the cached base model (per executor JVM),
 * the adapter placed once per task, then every record scored alone. Only numbers and answer texts go back.
 */
final class EvalTask implements FlatMapFunction<Iterator<EvalItem>, RecordScore> {
  private final RunConfig cfg;
  private final String modelHash;
  private final Broadcast<AdapterWeights> adapter; // null: the base model
  private final double scaling;
  private final int maxNewTokens; // 0: no generation
  private final Broadcast<HadoopConfCopy> hadoopConf; // the job's Hadoop configuration, to load the model with

  EvalTask(RunConfig cfg, String modelHash, Broadcast<AdapterWeights> adapter, double scaling, int maxNewTokens,
      Broadcast<HadoopConfCopy> hadoopConf) {
    this.hadoopConf = hadoopConf;
    this.cfg = cfg;
    this.modelHash = modelHash;
    this.adapter = adapter;
    this.scaling = scaling;
    this.maxNewTokens = maxNewTokens;
  }

  @Override
  public Iterator<RecordScore> call(Iterator<EvalItem> items) {
    TaskContext ctx = TaskContext.get();
    DeviceChoice device = DeviceChoice.forTask(cfg.model(), ctx);
    int threads = cfg.train().threads() > 0 ? cfg.train().threads() : (ctx == null ? 1 : ctx.cpus());
    ModelCache.Loaded m = ModelCache.get(cfg.model().path(), modelHash, cfg.model().dtype(), device, null,
        hadoopConf.value().get());
    PromptTemplate template = PromptTemplate.named(cfg.data().promptTemplate());
    boolean shortenContext = cfg.eval().truncate().equals("context");
    List<RecordScore> out = new ArrayList<>();
    int prevThreads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    LoraAdapter lora = adapter == null ? null
        : LoraAdapter.create(m.model().manager(), m.model().config(), adapter.value(), scaling, 0, m.model().dtype());
    try {
      RecordScorer scorer = new RecordScorer(m.model(), m.tokenizer(), lora);
      while (items.hasNext()) {
        EvalItem item = items.next();
        EvalExample ex = EvalExample.of(item, m.tokenizer(), template, cfg.data().cutoffLen(), shortenContext);
        out.add(scorer.score(item, ex, maxNewTokens));
      }
    } finally {
      if (lora != null) lora.close();
      JniUtils.setNumThreads(prevThreads);
    }
    return out.iterator();
  }
}
