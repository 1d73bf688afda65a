package io.fedit.experiment;

import io.fedit.eval.EvalAggregator;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalSet;
import io.fedit.eval.Evaluator;
import io.fedit.eval.RecordScore;
import io.fedit.lora.AdapterWeights;
import io.fedit.seeds.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates one model of one arm exactly as every other arm is evaluated: the {@link Evaluator} on the same
 * splits, reduced per category by {@link EvalAggregator}, plus a bootstrap interval of the response loss over
 * the records of each (split, category). Bootstrap draws are seeded by (seed, split, category) only, so all arms
 * of a seed are resampled identically.
 */
final class ArmEvaluation {
  static final long BOOTSTRAP = 0x424f4f5453545250L; // "BOOTSTRP"

  private final Evaluator evaluator;
  private final List<EvalSet> sets;
  private final String generateSplit;
  private final int maxNewTokens;
  private final int samples;
  private final long seed;
  /** Every model's score of every record evaluated so far: experiment/record_scores, and the paired comparisons. */
  private final List<RecordScoresTable.Row> recordScores = new ArrayList<>();

  /**
   * @param sets          scored splits only
   * @param generateSplit the split answered greedily for ROUGE-L (eval.split), when maxNewTokens > 0
   */
  ArmEvaluation(Evaluator evaluator, List<EvalSet> sets, String generateSplit, int maxNewTokens, int samples, long seed) {
    this.evaluator = evaluator;
    this.sets = List.copyOf(sets);
    this.generateSplit = generateSplit;
    this.maxNewTokens = maxNewTokens;
    this.samples = samples;
    this.seed = seed;
  }

  /** The per-record scores of every model evaluated by {@link #rows} so far (records in id order per model). */
  List<RecordScoresTable.Row> recordScores() {
    return List.copyOf(recordScores);
  }

  /** The scored splits' names, in evaluation order. */
  List<String> splits() {
    return sets.stream().map(EvalSet::split).toList();
  }

  /** Rows of one model: per split, one per category and one "ALL". {@code adapter} null = the base model. */
  List<ExperimentRow> rows(String arm, String member, AdapterWeights adapter, double scaling, int round, String label) {
    List<ExperimentRow> out = new ArrayList<>();
    for (EvalSet set : sets) {
      int answer = set.split().equals(generateSplit) ? maxNewTokens : 0;
      long t0 = System.nanoTime();
      List<RecordScore> scores = new ArrayList<>(evaluator.scores(set, adapter, scaling, round, label, answer));
      scores.sort(Comparator.comparingLong(RecordScore::recordId));
      EvalResult r = EvalAggregator.reduce(set, scores, round, label, (System.nanoTime() - t0) / 1_000_000);
      for (RecordScore sc : scores) recordScores.add(new RecordScoresTable.Row(arm, member, set.split(), sc));
      for (EvalMetricsRow m : r.metrics()) {
        boolean all = m.category().equals(EvalMetricsRow.ALL);
        List<RecordScore> group = all ? scores : scores.stream().filter(s -> s.category().equals(m.category())).toList();
        long[] tokens = new long[group.size()];
        double[] nll = new double[group.size()];
        for (int i = 0; i < group.size(); i++) {
          tokens[i] = group.get(i).responseTokens();
          nll[i] = group.get(i).responseNll();
        }
        double[] ci = Bootstrap.interval95(tokens, nll, samples,
            Seeds.of(BOOTSTRAP, seed, 0, set.split() + "/" + m.category()));
        out.add(new ExperimentRow(arm, seed, member, set.split(), m.category(), m.examples(), m.tokens(),
            m.responseLoss(), m.allLoss(), m.rougeL(), ci == null ? Double.NaN : ci[0], ci == null ? Double.NaN : ci[1]));
      }
    }
    return out;
  }
}
