package io.fedit.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.config.DataSection;
import io.fedit.config.RunConfig;
import io.fedit.data.BadRecord;
import io.fedit.data.DataException;
import io.fedit.data.InstructionReader;
import io.fedit.data.InstructionRecord;
import io.fedit.data.ParseResult;
import io.fedit.prepare.HoldoutSplit;
import io.fedit.prepare.PrepareJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads eval splits onto the driver (eval sets are small: the shipped one has 80 records; a held-out
 * split of thousands is a few MB). Instruction data goes through the same readers and validation as
 * training data ({@link InstructionReader}, data.on_bad_record); record ids are positions in (file, line) order.
 */
public final class EvalSets {
  private static final Logger LOG = LoggerFactory.getLogger(EvalSets.class);

  private EvalSets() {}

  /**
   * The configured splits: eval.path as eval.split, the run's held-out and validation records when
   * eval.holdout_records / eval.validation_records are set (after prepare), the Vicuna questions when
   * eval.vicuna_path is set.
   */
  public static List<EvalSet> configured(SparkSession spark, RunConfig cfg) {
    List<EvalSet> out = new ArrayList<>();
    out.add(instructions(spark, cfg, cfg.eval().path(), cfg.eval().format(), cfg.eval().split()));
    // Records held out of the training data by prepare (never trained on), when configured.
    if (cfg.eval().holdoutRecords() > 0) out.add(heldOut(spark, cfg, HoldoutSplit.HELDOUT));
    if (cfg.eval().validationRecords() > 0) out.add(heldOut(spark, cfg, HoldoutSplit.VALIDATION));
    if (cfg.eval().vicuna()) out.add(vicuna(cfg.eval().vicunaPath(), spark.sparkContext().hadoopConfiguration()));
    return out;
  }

  /** A split that prepare held out of the run's training data; record ids are those of the client table. */
  public static EvalSet heldOut(SparkSession spark, RunConfig cfg, String split) {
    List<EvalItem> items = new ArrayList<>();
    for (HoldoutSplit.Held h : HoldoutSplit.read(spark, PrepareJob.dataDir(cfg), split)) {
      InstructionRecord r = h.record();
      items.add(new EvalItem(h.recordId(), r.category(), r.instruction(), r.context(), r.response()));
    }
    return new EvalSet(split, items, true);
  }

  /** Instruction records at {@code path} as split {@code split}, validated like training data. */
  public static EvalSet instructions(SparkSession spark, RunConfig cfg, String path, String format, String split) {
    DataSection d = cfg.data();
    DataSection evalData = new DataSection(path, format, null, d.onBadRecord(), d.promptTemplate(), d.cutoffLen());
    List<ParseResult> parsed = InstructionReader.read(spark, evalData).collect();
    List<InstructionRecord> good = new ArrayList<>();
    List<BadRecord> bad = new ArrayList<>();
    for (ParseResult p : parsed) {
      if (p.isOk()) good.add(p.record());
      else bad.add(p.bad());
    }
    bad.sort(Comparator.comparing(BadRecord::file).thenComparingLong(BadRecord::line));
    if (!bad.isEmpty() && !d.skipBadRecords()) {
      throw new DataException("eval data: " + bad.get(0).describe()
          + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more bad records)" : ""));
    }
    if (!bad.isEmpty()) LOG.warn("eval data {}: skipped {} bad records, first: {}", path, bad.size(), bad.get(0).describe());
    if (good.isEmpty()) throw new DataException(path + ": no valid instruction records for evaluation (eval.path)");
    return of(split, good);
  }

  /**
   * Validated records already in memory (e.g. a split held out of the training data) as split {@code split};
   * record ids are positions in (file, line) order.
   */
  public static EvalSet of(String split, List<InstructionRecord> records) {
    List<InstructionRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(InstructionRecord::sourceFile).thenComparingLong(InstructionRecord::sourceLine));
    List<EvalItem> items = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      InstructionRecord r = sorted.get(i);
      items.add(new EvalItem(i, r.category(), r.instruction(), r.context(), r.response()));
    }
    return new EvalSet(split, items, true);
  }

  /**
   * Vicuna-80 style questions, JSON Lines: {"question_id": int, "category": string, "turns": [string, ...]};
   * the first turn is asked (split "vicuna80", record id = question_id).
   */
  public static EvalSet vicuna(String path, Configuration conf) {
    ObjectMapper json = new ObjectMapper();
    List<EvalItem> items = new ArrayList<>();
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) throw new DataException(path + ": no such file (eval.vicuna_path)");
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String line;
        long n = 0;
        while ((line = in.readLine()) != null) {
          n++;
          if (line.isBlank()) continue;
          JsonNode node;
          try {
            node = json.readTree(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException(path + " line " + n + ": malformed JSON (" + e.getOriginalMessage() + ")");
          }
          JsonNode id = node.get("question_id"), turns = node.get("turns"), cat = node.get("category");
          if (id == null || !id.canConvertToLong() || !id.isIntegralNumber()) {
            throw new DataException(path + " line " + n + ", field 'question_id': expected an integer");
          }
          if (turns == null || !turns.isArray() || turns.isEmpty() || !turns.get(0).isTextual()
              || turns.get(0).asText().isBlank()) {
            throw new DataException(path + " line " + n + ", field 'turns': expected a non-empty array of strings");
          }
          if (cat != null && !cat.isNull() && !cat.isTextual()) {
            throw new DataException(path + " line " + n + ", field 'category': expected a string");
          }
          items.add(new EvalItem(id.asLong(), cat == null || cat.isNull() ? "" : cat.asText(), turns.get(0).asText(), "",
              null));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    if (items.isEmpty()) throw new DataException(path + ": no questions (eval.vicuna_path)");
    long distinct = items.stream().mapToLong(EvalItem::recordId).distinct().count();
    if (distinct != items.size()) throw new DataException(path + ": question_id values are not unique");
    return new EvalSet("vicuna80", items, false);
  }
}
