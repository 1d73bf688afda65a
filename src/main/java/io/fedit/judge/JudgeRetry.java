package io.fedit.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rerun of {@code fedit judge} on a round already judged: the answers whose call failed ({@code status =
 * error}, or no row at all) are graded again, every other row is kept as it is (scores and unparseable
 * replies are the judge's answer, not a failure). {@link #merge} puts the new outcomes in place, one row per
 * answer in the stored answers' order, nothing doubled.
 */
public final class JudgeRetry {
  private final Map<String, JudgeScoreRow> kept = new HashMap<>();
  private final List<StoredAnswer> toGrade = new ArrayList<>();

  /** @param answers the round's stored answers; {@code existing} the round's rows in judge_scores */
  public JudgeRetry(List<StoredAnswer> answers, List<JudgeScoreRow> existing) {
    for (JudgeScoreRow r : existing) {
      if (!JudgeOutcome.ERROR.equals(r.status())) kept.put(key(r.adapter(), r.split(), r.recordId()), r);
    }
    for (StoredAnswer a : answers) {
      if (!kept.containsKey(key(a))) toGrade.add(a);
    }
  }

  /** The answers to send to the judge (in the stored order). */
  public List<StoredAnswer> toGrade() {
    return toGrade;
  }

  /** How many rows are kept from the earlier run. */
  public int keptCount() {
    return kept.size();
  }

  /** Every answer's row: the kept ones as they were, {@code graded} (outcomes of {@link #toGrade}) in place. */
  public List<JudgedAnswer> merge(List<StoredAnswer> answers, List<JudgedAnswer> graded) {
    Map<String, JudgedAnswer> fresh = new HashMap<>();
    for (JudgedAnswer j : graded) fresh.put(key(j.answer()), j);
    List<JudgedAnswer> out = new ArrayList<>(answers.size());
    for (StoredAnswer a : answers) {
      JudgeScoreRow r = kept.get(key(a));
      out.add(r == null ? fresh.get(key(a))
          : new JudgedAnswer(a, r.judgeModel(), new JudgeOutcome(r.score(), r.status(), r.detail(), r.attempts(),
              r.wallMs())));
    }
    return out;
  }

  private static String key(StoredAnswer a) {
    return key(a.adapter(), a.split(), a.recordId());
  }

  private static String key(String adapter, String split, long recordId) {
    return adapter + '\u0000' + split + '\u0000' + recordId;
  }
}
