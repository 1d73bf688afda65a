package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task finds and reads its own client's rows, whatever characters the client key holds. */
class ClientTableTest {
  @TempDir Path dir;

  @Test
  void clientKeysWithPathCharactersMapBackToTheirRowsInRecordOrder() throws Exception {
    String[] tenants = {"eu/west", "us:east", "007", "eu/west", "a b%c", "007", "eu/west"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < tenants.length; i++) {
      lines.add("{\"instruction\":\"q" + i + "\",\"response\":\"r" + i + "\",\"tenant\":\"" + tenants[i] + "\"}");
    }
    Path data = dir.resolve("tenants.jsonl");
    Files.write(data, lines);
    RunConfig cfg = Configs.forTest(dir.resolve("runs"), "data.path=" + data, "data.client_key_column=tenant",
        "partition.method=column");
    PrepareJob.run(LocalSpark.get(), cfg);

    Map<String, String> dirs = ClientTable.directories(PrepareJob.dataDir(cfg), new Configuration());
    assertEquals(Set.of("eu/west", "us:east", "007", "a b%c"), dirs.keySet());
    List<InstructionRecord> euWest = ClientTable.read(dirs.get("eu/west"), new Configuration());
    assertEquals(List.of("q0", "q3", "q6"), euWest.stream().map(InstructionRecord::instruction).toList());
    assertEquals(List.of(1L, 4L, 7L), euWest.stream().map(InstructionRecord::sourceLine).toList());
    assertEquals(List.of("r2", "r5"),
        ClientTable.read(dirs.get("007"), new Configuration()).stream().map(InstructionRecord::response).toList());
  }
}
