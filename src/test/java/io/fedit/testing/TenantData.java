package io.fedit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dolly records with a {@code tenant} field (for {@code partition.method: column}), so tests know the
 * client ids: record i goes to tenant i mod n. Optionally a canary string is planted in the instruction,
 * context and response of every record of one tenant.
 */
public final class TenantData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TenantData() {}

  public static Path write(Path file, int perTenant, List<String> tenants, String canaryTenant, String canary)
      throws IOException {
    List<String> dolly = Files.readAllLines(TestPaths.dollyTrain());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < perTenant * tenants.size(); i++) {
      ObjectNode rec = (ObjectNode) JSON.readTree(dolly.get(i * 7));
      String tenant = tenants.get(i % tenants.size());
      rec.put("tenant", tenant);
      if (tenant.equals(canaryTenant)) {
        rec.put("instruction", rec.get("instruction").asText() + " " + canary);
        rec.put("context", canary + " " + rec.path("context").asText());
        rec.put("response", canary + " " + rec.get("response").asText() + " " + canary);
      }
      out.add(JSON.writeValueAsString(rec));
    }
    Files.write(file, out);
    return file;
  }
}
