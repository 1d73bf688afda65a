package io.fedit.experiment;

import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.RecordScore;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.seeds.Seeds;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The evidence for the targets, per split and per category: the paired comparisons of
 * {@link PairedComparison} for each seed alone and pooled over the seeds, computed from experiment/record_scores,
 * with a verdict per target that only says "met" or "not met" where the 95% interval is on one side of the line:
 * <ul>
 *   <li>target 1, FedIT below mean local-only: met when the interval of fedit - local_only is below 0;
 *   <li>target 2, FedIT closes at least 80% of the local-only → centralized gap: met when the gap-closed interval
 *       is at or above 80% and target 1 is met, not met when the interval is below 80%.
 * </ul>
 * Owner of experiment/comparisons ({@code comparisons.parquet}), a derived table rewritten by every run of the
 * experiment command for the seeds it was asked for.
 */
final class Comparisons {
  static final String MET = "met", NOT_MET = "not met", UNDECIDED = "undecided";

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message experiment_comparisons {
        required binary split (STRING);
        required binary category (STRING);
        required binary scope (STRING);
        optional int64 seed;
        required binary seeds (STRING);
        required int64 records;
        optional double fedit_minus_local;
        optional double fedit_minus_local_ci_low;
        optional double fedit_minus_local_ci_high;
        optional double gap_closed;
        optional double gap_closed_ci_low;
        optional double gap_closed_ci_high;
        required binary below_local_only (STRING);
        required binary closes_80 (STRING);
      }""");

  /**
   * One comparison. {@code pooled}: the comparison over all of {@code seeds} (with one seed, that seed's, and
   * {@code seed} is set); otherwise one seed's alone. {@code seed} null: pooled over several seeds.
   * {@code records}: eval records over those seeds.
   */
  record Row(String split, String category, Long seed, List<Long> seeds, long records, boolean pooled,
      PairedComparison.Result result) {
    String belowLocalOnly() {
      if (result.diffHigh() < 0) return MET;
      if (result.diffLow() > 0) return NOT_MET;
      return UNDECIDED;
    }

    String closes80() {
      if (Double.isNaN(result.closedLow()) || Double.isNaN(result.closedHigh())) return UNDECIDED;
      // >= 80% of a gap only means something when FedIT is below local-only (the gap could be negative otherwise).
      if (result.closedLow() >= 0.8 && MET.equals(belowLocalOnly())) return MET;
      if (result.closedHigh() < 0.8) return NOT_MET;
      return UNDECIDED;
    }
  }

  private Comparisons() {}

  /**
   * Per split (in the order first seen), per category (sorted, then ALL): one row per seed and one pooled row.
   * {@code bySeed}: the record scores of each seed (every arm on every record of every split).
   */
  static List<Row> compute(Map<Long, List<RecordScoresTable.Row>> bySeed, int samples) {
    List<Long> seeds = new ArrayList<>(new TreeSet<>(bySeed.keySet()));
    Set<String> splits = new LinkedHashSet<>();
    Set<String> categories = new TreeSet<>();
    for (List<RecordScoresTable.Row> rows : bySeed.values()) {
      for (RecordScoresTable.Row r : rows) {
        splits.add(r.split());
        categories.add(r.score().category());
      }
    }
    List<String> order = new ArrayList<>(categories);
    order.add(EvalMetricsRow.ALL);
    List<Row> out = new ArrayList<>();
    for (String split : splits) {
      for (String category : order) {
        List<PairedComparison.Arms> arms = new ArrayList<>();
        long records = 0;
        for (long seed : seeds) {
          PairedComparison.Arms a = arms(bySeed.get(seed), split, category, seed);
          if (a == null) continue;
          arms.add(a);
          records += a.fedit().records();
          String name = name(split, category);
          if (seeds.size() > 1) {
            out.add(new Row(split, category, seed, List.of(seed), a.fedit().records(), false,
                PairedComparison.of(List.of(a), samples, Seeds.of(ArmEvaluation.BOOTSTRAP, seed, 1, name))));
          }
        }
        if (arms.isEmpty()) continue;
        long key = seeds.size() == 1 ? seeds.get(0) : Arrays.hashCode(seeds.stream().mapToLong(Long::longValue).toArray());
        int stream = seeds.size() == 1 ? 1 : 2; // one seed: the same draws as its per-seed line
        out.add(new Row(split, category, seeds.size() == 1 ? seeds.get(0) : null, seeds, records, true,
            PairedComparison.of(arms, samples, Seeds.of(ArmEvaluation.BOOTSTRAP, key, stream, name(split, category)))));
      }
    }
    return out;
  }

  /** The bootstrap stream's name: the split for ALL (as the per-seed console line), else split/category. */
  private static String name(String split, String category) {
    return category.equals(EvalMetricsRow.ALL) ? split : split + "/" + category;
  }

  /** One seed's arms on the records of (split, category), records in id order; null when the seed lacks an arm. */
  static PairedComparison.Arms arms(List<RecordScoresTable.Row> rows, String split, String category, long seed) {
    boolean all = category.equals(EvalMetricsRow.ALL);
    Map<String, List<RecordScore>> byModel = new TreeMap<>();
    for (RecordScoresTable.Row r : rows) {
      if (!r.split().equals(split) || !(all || r.score().category().equals(category))) continue;
      byModel.computeIfAbsent(r.arm() + "/" + r.member(), k -> new ArrayList<>()).add(r.score());
    }
    List<RecordScore> fedit = byModel.get(ExperimentRow.FEDIT + "/");
    List<RecordScore> central = byModel.get(ExperimentRow.CENTRALIZED + "/");
    List<List<RecordScore>> local = byModel.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ExperimentRow.LOCAL_ONLY + "/")).map(Map.Entry::getValue).toList();
    if (fedit == null || central == null || local.isEmpty()) return null;
    long[] ids = ids(fedit);
    for (Map.Entry<String, List<RecordScore>> e : byModel.entrySet()) {
      if (!Arrays.equals(ids, ids(e.getValue()))) {
        throw new IllegalStateException("seed " + seed + ", split " + split + ": " + e.getKey()
            + " was scored on other records than fedit (experiment/record_scores is inconsistent)");
      }
    }
    return new PairedComparison.Arms(scores(fedit), local.stream().map(Comparisons::scores).toList(), scores(central));
  }

  private static long[] ids(List<RecordScore> s) {
    return s.stream().mapToLong(RecordScore::recordId).sorted().toArray();
  }

  private static PairedComparison.Scores scores(List<RecordScore> s) {
    List<RecordScore> sorted = s.stream().sorted(Comparator.comparingLong(RecordScore::recordId)).toList();
    return new PairedComparison.Scores(sorted.stream().mapToLong(RecordScore::responseTokens).toArray(),
        sorted.stream().mapToDouble(RecordScore::responseNll).toArray());
  }

  /** Replaces experiment/comparisons/comparisons.parquet with {@code rows}. */
  static void write(Configuration conf, RunLayout run, List<Row> rows) throws IOException {
    String file = RunLayout.comparisonsFileName();
    ParquetFiles.write(conf, run.table(Table.EXPERIMENT_COMPARISONS), file, SCHEMA, true, (w, f) -> {
      for (Row r : rows) {
        Group g = f.newGroup().append("split", r.split()).append("category", r.category())
            .append("scope", r.seed() == null ? "pooled" : "seed");
        if (r.seed() != null) g.append("seed", r.seed());
        g.append("seeds", r.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")))
            .append("records", r.records());
        PairedComparison.Result c = r.result();
        ParquetFiles.optional(g, "fedit_minus_local", c.diff());
        ParquetFiles.optional(g, "fedit_minus_local_ci_low", c.diffLow());
        ParquetFiles.optional(g, "fedit_minus_local_ci_high", c.diffHigh());
        ParquetFiles.optional(g, "gap_closed", c.closed());
        ParquetFiles.optional(g, "gap_closed_ci_low", c.closedLow());
        ParquetFiles.optional(g, "gap_closed_ci_high", c.closedHigh());
        w.write(g.append("below_local_only", r.belowLocalOnly()).append("closes_80", r.closes80()));
      }
    });
  }

  /** The pooled rows as one console table per split. */
  static void print(List<Row> rows, PrintStream out) {
    Map<String, List<Row>> bySplit = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.pooled()) bySplit.computeIfAbsent(r.split(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Row>> e : bySplit.entrySet()) {
      List<Long> seeds = e.getValue().get(0).seeds();
      out.println("experiment: split " + e.getKey() + ", paired 95% bootstrap over records, pooled over seeds " + seeds
          + (seeds.size() < 3 ? " (fewer than 3 seeds: no claim yet)" : ""));
      out.println(String.format(Locale.ROOT, "  %-24s %8s %-30s %-28s %-10s %-10s", "category", "records",
          "fedit - local_only", "gap closed", "target 1", "target 2"));
      for (Row r : e.getValue()) {
        PairedComparison.Result c = r.result();
        out.println(String.format(Locale.ROOT, "  %-24s %8d %-30s %-28s %-10s %-10s", r.category(), r.records(),
            String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]", c.diff(), c.diffLow(), c.diffHigh()),
            PairedComparison.Result.pct(c.closed()) + " [" + PairedComparison.Result.pct(c.closedLow()) + ", "
                + PairedComparison.Result.pct(c.closedHigh()) + "]",
            r.belowLocalOnly(), r.closes80()));
      }
    }
  }
}
