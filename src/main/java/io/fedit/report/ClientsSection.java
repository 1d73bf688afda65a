package io.fedit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.partition.PartitionStats;
import io.fedit.prepare.ClientStatsRow;
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
  static ObjectNode build(List<ClientStatsRow> statsRows) {
    List<ClientStatsRow> rows = new ArrayList<>(statsRows);
    rows.sort(Comparator.comparing(ClientStatsRow::clientId));
    Map<String, Long> global = new TreeMap<>();
    for (ClientStatsRow r : rows) r.categoryCounts().forEach((k, v) -> global.merge(k, v, Long::sum));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode cats = out.putArray("categories");
    new TreeSet<>(global.keySet()).forEach(cats::add);
    ArrayNode list = out.putArray("rows");
    double weighted = 0;
    long total = 0;
    for (ClientStatsRow r : rows) {
      Map<String, Long> mix = new TreeMap<>(r.categoryCounts());
      double tv = PartitionStats.totalVariation(mix, global);
      long n = mix.values().stream().mapToLong(Long::longValue).sum();
      weighted += n * tv;
      total += n;
      ObjectNode o = list.addObject();
      o.put("client_id", r.clientId());
      o.put("records", r.records());
      o.put("tokens", r.tokens());
      ObjectNode counts = o.putObject("counts");
      mix.forEach(counts::put);
      o.put("tv", tv);
    }
    out.put("skew", total == 0 ? 0 : weighted / total);
    return out;
  }
}
