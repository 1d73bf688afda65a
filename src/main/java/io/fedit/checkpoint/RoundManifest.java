package io.fedit.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * manifest.json of a committed round: what produced it and a checksum of every file in the round
 * directory (paths relative to it). Written after all data files and before the rename and _SUCCESS;
 * _SUCCESS in turn holds the SHA-256 of manifest.json, so the whole round is covered.
 *
 * @param parentRound the round this one started from (the last committed round at commit time), -1 for none
 * @param inputHashes caller-provided fingerprints, e.g. base_model, tokenizer, data → hash string
 * @param clients     the round's decision about its sampled clients: status (accepted = used in the aggregate,
 *                    rejected, failed, late) → client ids, sorted; a resumed run reads it, never redoes it.
 *                    Empty in manifests written before this field existed.
 */
public record RoundManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("round") int round,
    @JsonProperty("parent_round") int parentRound,
    @JsonProperty("run_name") String runName,
    @JsonProperty("strategy") String strategy,
    @JsonProperty("config_yaml") String configYaml,
    @JsonProperty("input_hashes") Map<String, String> inputHashes,
    @JsonProperty("files") Map<String, FileEntry> files,
    @JsonProperty("clients") Map<String, List<String>> clients) {
  public static final int FORMAT_VERSION = 1;

  /** Size in bytes and lowercase hex SHA-256 of one file. */
  public record FileEntry(@JsonProperty("size") long size, @JsonProperty("sha256") String sha256) {}

  public RoundManifest {
    inputHashes = inputHashes == null ? Map.of() : new TreeMap<>(inputHashes);
    files = files == null ? Map.of() : new TreeMap<>(files);
    clients = clients == null ? Map.of() : new TreeMap<>(clients);
  }

  /** status → sorted client ids of a round's client metrics rows. */
  public static Map<String, List<String>> clientsByStatus(List<ClientMetricsRow> rows) {
    Map<String, List<String>> out = new TreeMap<>();
    for (ClientMetricsRow r : rows) out.computeIfAbsent(r.status(), k -> new ArrayList<>()).add(r.clientId());
    out.replaceAll((k, v) -> v.stream().sorted().toList());
    return out;
  }
}
