package io.fedit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11 §5.9: a valid record larger than Jackson's default 20 M-character string limit is read. */
class LargeRecordTest {
  @Test
  void aRecordWithA25MillionCharacterResponseIsValid() throws Exception {
    String response = "a".repeat(25_000_000);
    byte[] line = ("{\"instruction\":\"Summarise\",\"response\":\"" + response + "\"}\n").getBytes(StandardCharsets.UTF_8);
    List<ParseResult> out = new ArrayList<>();
    new JsonRecordParser(new RecordValidator(null)).parseLines("big.jsonl", new ByteArrayInputStream(line), out::add);
    assertEquals(1, out.size());
    assertTrue(out.get(0).isOk(), () -> out.get(0).bad().describe());
    assertEquals(25_000_000, out.get(0).record().response().length());

    out.clear();
    new JsonRecordParser(new RecordValidator(null)).parseArray("big.json",
        new ByteArrayInputStream(("[" + new String(line, StandardCharsets.UTF_8).strip() + "]").getBytes(StandardCharsets.UTF_8)),
        out::add);
    assertTrue(out.get(0).isOk(), () -> out.get(0).bad().describe());
  }
}
