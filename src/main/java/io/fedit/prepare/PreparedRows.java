package io.fedit.prepare;

import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.data.PromptTemplate;
import io.fedit.fs.HadoopPaths;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every valid record as one row of {@link #SCHEMA}: its record id, client (null when held out), source
 * position, text, category, token count (prompt template applied, BOS/EOS included, before truncation) and
 * held-out split. Tokens are counted on the executors.
 */
final class PreparedRows {
  /** The client table's columns with client_id nullable and the held-out split's name (null: a training record). */
  static final StructType SCHEMA = new StructType(Arrays.stream(ClientTable.SCHEMA.fields())
      .map(f -> f.name().equals("client_id") ? f.copy(f.name(), f.dataType(), true, f.metadata()) : f)
      .toArray(StructField[]::new))
      .add("split", DataTypes.StringType, true);

  private PreparedRows() {}

  /** {@code good}: the valid records sorted by (file, line), so that zipWithIndex gives the record ids. */
  static JavaRDD<Row> of(SparkSession spark, JavaRDD<InstructionRecord> good, RecordPlacement placement, RunConfig cfg,
      Configuration hconf) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<int[]> clientOf = jsc.broadcast(placement.clientOfRecord());
    Broadcast<byte[]> roleOf = jsc.broadcast(placement.roles());
    Broadcast<String[]> clientIds = jsc.broadcast(placement.assignment().clientIds().toArray(String[]::new));
    // The tokenizer travels as broadcast bytes: executors need no filesystem set-up to count tokens.
    Broadcast<byte[]> tokenizerJson = jsc.broadcast(PrepareJob.readAll(HadoopPaths.fs(cfg.model().path(), hconf), cfg.model().path() + "/tokenizer.json"));
    LlamaConfig model = ModelWeights.loadConfig(new Path(cfg.model().path()), hconf);
    int bos = model.bosTokenId();
    int eos = model.eosTokenId();
    PromptTemplate template = PromptTemplate.named(cfg.data().promptTemplate());

    return good.zipWithIndex().mapPartitions(it -> {
      List<Row> out = new ArrayList<>();
      try (Tokenizer tokenizer = Tokenizer.fromStream(new ByteArrayInputStream(tokenizerJson.value()), bos, eos)) {
        TokenCounter counter = new TokenCounter(tokenizer, template);
        while (it.hasNext()) {
          var t = it.next();
          InstructionRecord r = t._1();
          long id = t._2();
          int c = clientOf.value()[(int) id];
          out.add(RowFactory.create(id, c < 0 ? null : clientIds.value()[c], r.sourceFile(), r.sourceLine(),
              r.instruction(), r.context(), r.response(), r.category(), counter.count(r),
              HoldoutSplit.splitOf(roleOf.value()[(int) id])));
        }
      }
      return out.iterator();
    });
  }
}
