package io.fedit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.judge.JudgeScoreRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Judge scores (metrics/judge_scores) per (round, split, judge model): mean score of the scored answers and counts. */
final class JudgeSummary {
  private JudgeSummary() {}

  static ArrayNode build(List<JudgeScoreRow> rows) {
    Map<String, long[]> groups = new TreeMap<>(); // ok, unparseable, error, score sum
    for (JudgeScoreRow r : rows) {
      String key = String.format("%08d", r.round()) + "\u0000" + r.split() + "\u0000" + r.judgeModel();
      long[] c = groups.computeIfAbsent(key, k -> new long[4]);
      String status = r.status();
      Integer score = r.score();
      if ("ok".equals(status) && score != null) {
        c[0]++;
        c[3] += score;
      } else if ("unparseable".equals(status)) {
        c[1]++;
      } else {
        c[2]++;
      }
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    groups.forEach((key, c) -> {
      String[] k = key.split("\u0000", -1);
      ObjectNode o = out.addObject();
      o.put("round", Integer.parseInt(k[0])).put("split", k[1]).put("judge_model", k[2]);
      o.put("scored", c[0]).put("unparseable", c[1]).put("errors", c[2]);
      o.put("mean_score", c[0] == 0 ? null : c[3] / (double) c[0]);
    });
    return out;
  }
}
