package io.fedit.report;

import static io.fedit.report.Values.lng;
import static io.fedit.report.Values.str;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.partition.PartitionStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client sizes and category-mix heterogeneity, from data/client_stats: per client its records, tokens
 * and category counts, and the total-variation distance of its mix from the whole data's (the same
 * measure as the prepare summary's skew, which is their record-weighted mean).
 */
final class ClientsSection {
  private ClientsSection() {}

  /** {"categories": [...], "rows": [{client_id, records, tokens, counts: {cat: n}, tv}], "skew"}. */
  static ObjectNode build(List<Map<String, Object>> statsRows) {
    List<Map<String, Object>> rows = new ArrayList<>(statsRows);
    rows.sort(Comparator.comparing(r -> str(r, "client_id")));
    Map<String, Long> global = new TreeMap<>();
    List<Map<String, Long>> mixes = new ArrayList<>();
    for (var r : rows) {
      Map<String, Long> mix = new TreeMap<>();
      if (r.get("category_counts") instanceof Map<?, ?> m) {
        m.forEach((k, v) -> mix.put(String.valueOf(k), ((Number) v).longValue()));
      }
      mix.forEach((k, v) -> global.merge(k, v, Long::sum));
      mixes.add(mix);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode cats = out.putArray("categories");
    new TreeSet<>(global.keySet()).forEach(cats::add);
    ArrayNode list = out.putArray("rows");
    double weighted = 0;
    long total = 0;
    for (int i = 0; i < rows.size(); i++) {
      var r = rows.get(i);
      Map<String, Long> mix = mixes.get(i);
      double tv = PartitionStats.totalVariation(mix, global);
      long n = mix.values().stream().mapToLong(Long::longValue).sum();
      weighted += n * tv;
      total += n;
      ObjectNode o = list.addObject();
      o.put("client_id", str(r, "client_id"));
      o.put("records", lng(r, "records"));
      o.put("tokens", lng(r, "tokens"));
      ObjectNode counts = o.putObject("counts");
      mix.forEach(counts::put);
      o.put("tv", tv);
    }
    out.put("skew", total == 0 ? 0 : weighted / total);
    return out;
  }
}
