package io.fedit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordParserTest {
  private final JsonRecordParser parser = new JsonRecordParser(new RecordValidator(null));

  private List<ParseResult> lines(byte[] bytes) throws IOException {
    List<ParseResult> out = new ArrayList<>();
    parser.parseLines("in.jsonl", new ByteArrayInputStream(bytes), out::add);
    return out;
  }

  private List<ParseResult> lines(String text) throws IOException {
    return lines(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validLinesKeepTheirLineNumbersAndBlankLinesAreIgnored() throws IOException {
    List<ParseResult> r = lines("{\"instruction\":\"a\",\"response\":\"b\",\"category\":\"x\"}\n\n"
        + "{\"instruction\":\"c\",\"context\":\"ctx\",\"response\":\"d\"}");
    assertEquals(2, r.size());
    assertEquals(1, r.get(0).record().sourceLine());
    assertEquals(3, r.get(1).record().sourceLine());
    assertEquals("ctx", r.get(1).record().context());
    assertEquals("", r.get(1).record().category());
  }

  @Test
  void malformedLineNamesFileAndLine() throws IOException {
    BadRecord b = single(lines("{\"instruction\":\"a\",\"response\":\"b\"}\n{\"instruction\": oops}\n"));
    assertEquals(BadRecordReason.MALFORMED_JSON, b.reason());
    assertTrue(b.describe().startsWith("in.jsonl line 2: malformed JSON"), b.describe());
  }

  @Test
  void missingEmptyAndNonStringFieldsNameTheField() throws IOException {
    assertEquals("in.jsonl line 1, field 'response': missing (expected a non-empty string)",
        single(lines("{\"instruction\":\"a\"}")).describe());
    assertEquals("in.jsonl line 1, field 'instruction': empty (expected a non-empty string)",
        single(lines("{\"instruction\":\"  \",\"response\":\"b\"}")).describe());
    assertEquals("in.jsonl line 1, field 'instruction': expected a string, got a number",
        single(lines("{\"instruction\":42,\"response\":\"b\"}")).describe());
    assertEquals("in.jsonl line 1, field 'context': expected a string, got an array",
        single(lines("{\"instruction\":\"a\",\"response\":\"b\",\"context\":[1]}")).describe());
    assertEquals(BadRecordReason.NOT_AN_OBJECT, single(lines("[1,2]")).reason());
  }

  @Test
  void invalidUtf8IsReportedNotReplaced() throws IOException {
    byte[] good = "{\"instruction\":\"a\",\"response\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 'i', 'n', 's', 't', 'r', 'u', 'c', 't', 'i', 'o', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    byte[] all = new byte[good.length + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    BadRecord b = single(lines(all));
    assertEquals(BadRecordReason.INVALID_UTF8, b.reason());
    assertTrue(b.describe().startsWith("in.jsonl line 2: invalid UTF-8"), b.describe());
    assertNull(b.field());
  }

  @Test
  void jsonArrayElementsCarryTheLineWhereTheyStart() throws IOException {
    String text = "[\n {\"instruction\":\"a\",\"response\":\"b\"},\n {\"instruction\":\"c\"}\n]";
    List<ParseResult> out = new ArrayList<>();
    parser.parseArray("in.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out::add);
    assertEquals(2, out.size());
    assertEquals(2, out.get(0).record().sourceLine());
    assertEquals("in.json line 3, field 'response': missing (expected a non-empty string)", out.get(1).bad().describe());
  }

  @Test
  void truncatedJsonArrayIsMalformed() throws IOException {
    String text = "[\n {\"instruction\":\"a\",\"response\":\"b\"},\n {\"instruction\":\"c\",";
    List<ParseResult> out = new ArrayList<>();
    parser.parseArray("in.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out::add);
    BadRecord b = out.get(out.size() - 1).bad();
    assertEquals(BadRecordReason.MALFORMED_JSON, b.reason());
    assertTrue(b.describe().startsWith("in.json line 3: malformed JSON"), b.describe());
  }

  @Test
  void clientKeyColumnIsRequiredWhenConfigured() throws IOException {
    JsonRecordParser keyed = new JsonRecordParser(new RecordValidator("tenant"));
    List<ParseResult> out = new ArrayList<>();
    keyed.parseLines("t.jsonl", new ByteArrayInputStream(
        "{\"instruction\":\"a\",\"response\":\"b\",\"tenant\":7}\n{\"instruction\":\"a\",\"response\":\"b\"}"
            .getBytes(StandardCharsets.UTF_8)), out::add);
    assertEquals("7", out.get(0).record().clientKey());
    assertEquals("t.jsonl line 2, field 'tenant': missing (expected a non-empty string)", out.get(1).bad().describe());
  }

  private static BadRecord single(List<ParseResult> results) {
    List<BadRecord> bad = results.stream().filter(r -> !r.isOk()).map(ParseResult::bad).toList();
    assertEquals(1, bad.size(), results.toString());
    return bad.get(0);
  }
}
