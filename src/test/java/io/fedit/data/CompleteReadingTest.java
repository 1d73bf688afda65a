package io.fedit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 §1: a file is read completely or its rest is a counted bad record, never silently cut; every
 * line-end convention and a leading byte-order mark are read; no bad record's message quotes the record.
 */
class CompleteReadingTest {
  private static final String A = "{\"instruction\":\"a\",\"response\":\"b\"}";
  private static final String C = "{\"instruction\":\"c\",\"response\":\"d\"}";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private final JsonRecordParser parser = new JsonRecordParser(new RecordValidator(null));

  private List<ParseResult> lines(byte[] bytes) throws IOException {
    List<ParseResult> out = new ArrayList<>();
    parser.parseLines("in.jsonl", new ByteArrayInputStream(bytes), out::add);
    return out;
  }

  private List<ParseResult> lines(String text) throws IOException {
    return lines(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<ParseResult> array(byte[] bytes) throws IOException {
    List<ParseResult> out = new ArrayList<>();
    parser.parseArray("in.json", new ByteArrayInputStream(bytes), out::add);
    return out;
  }

  private List<ParseResult> array(String text) throws IOException {
    return array(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLineWithTwoObjectsIsOneBadRecordNotTheFirstObject() throws IOException {
    List<ParseResult> r = lines(A + "\n" + A + C + "\n" + C + "\n");
    assertEquals(3, r.size());
    BadRecord b = r.get(1).bad();
    assertEquals(BadRecordReason.TRAILING_CONTENT, b.reason());
    assertEquals(2, b.line());
    assertEquals("in.jsonl line 2: content after the JSON object at column 35 (one record per line)", b.describe());
  }

  @Test
  void anythingButWhitespaceAfterTheObjectIsTrailingContent() throws IOException {
    for (String tail : new String[] {" x", ",", " 7", "]", " {\"instruction\":\"z\"}", "\"s\""}) {
      List<ParseResult> r = lines(A + tail);
      assertEquals(1, r.size(), tail);
      assertEquals(BadRecordReason.TRAILING_CONTENT, r.get(0).bad().reason(), tail);
    }
    // Whitespace (also tabs and a CR before the LF) after the object is fine.
    assertTrue(lines(A + " \t \r\n").get(0).isOk());
  }

  @Test
  void aJsonArrayFileFollowedByASecondArrayIsReadCompletely() throws IOException {
    List<ParseResult> r = array("[" + A + "]\n[\n" + C + ",\n" + A + "\n]\n");
    assertEquals(3, r.size(), r.toString());
    assertTrue(r.stream().allMatch(ParseResult::isOk), r.toString());
    assertEquals("c", r.get(1).record().instruction());
    assertEquals(3, r.get(1).record().sourceLine());
    assertEquals(4, r.get(2).record().sourceLine());
  }

  @Test
  void somethingOtherThanAnArrayAfterTheClosingBracketIsTrailingContent() throws IOException {
    List<ParseResult> r = array("[" + A + "]\n" + C + "\n");
    assertEquals(2, r.size(), r.toString());
    assertTrue(r.get(0).isOk());
    BadRecord b = r.get(1).bad();
    assertEquals(BadRecordReason.TRAILING_CONTENT, b.reason());
    assertEquals("in.json line 2: content after the closing ']' of the JSON array (expected another array or the end)",
        b.describe());
    // Only whitespace after the array: nothing more.
    assertEquals(1, array("[" + A + "]\n \n").size());
  }

  @Test
  void lfCrlfAndCrOnlyFilesAreReadRecordByRecordWithTheSameLineNumbers() throws IOException {
    for (String eol : new String[] {"\n", "\r\n", "\r"}) {
      List<ParseResult> r = lines(A + eol + eol + C + eol + "{\"instruction\":\"x\"}" + eol);
      assertEquals(3, r.size(), "line end " + eol.replace("\r", "CR").replace("\n", "LF"));
      assertEquals(1, r.get(0).record().sourceLine());
      assertEquals(3, r.get(1).record().sourceLine());
      assertEquals("c", r.get(1).record().instruction());
      assertEquals(4, r.get(2).bad().line());
    }
  }

  @Test
  void aCrOnlyJsonArrayCountsLinesLikeTheLinesParser() throws IOException {
    List<ParseResult> r = array("[\r" + A + ",\r" + C + "\r]\r");
    assertEquals(List.of(2L, 3L), r.stream().map(p -> p.record().sourceLine()).toList());
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
    byte[] text = (A + "\n" + C + "\n").getBytes(StandardCharsets.UTF_8);
    List<ParseResult> r = lines(concat(BOM, text));
    assertEquals(2, r.size());
    assertTrue(r.get(0).isOk(), () -> r.get(0).bad().describe());
    assertEquals("a", r.get(0).record().instruction());

    List<ParseResult> a = array(concat(BOM, ("[" + A + "]").getBytes(StandardCharsets.UTF_8)));
    assertTrue(a.get(0).isOk(), () -> a.get(0).bad().describe());
  }

  @Test
  void aByteOrderMarkElsewhereIsNotSkipped() throws IOException {
    byte[] second = concat(BOM, C.getBytes(StandardCharsets.UTF_8));
    List<ParseResult> r = lines(concat((A + "\n").getBytes(StandardCharsets.UTF_8), second));
    assertTrue(r.get(0).isOk());
    assertEquals(BadRecordReason.MALFORMED_JSON, r.get(1).bad().reason());
  }

  @Test
  void noBadRecordMessageQuotesTheRecord() throws IOException {
    String secret = "Zq7secretvalue";
    String[] records = {
        "{\"instruction\": " + secret + "}",                                       // an unquoted token
        "{\"instruction\": \"" + secret + "\", " + secret + "}",                   // a bare word where a name goes
        "{\"instruction\": \"x\", \"response\": 4242" + "}",                        // a number where a string goes
        "{\"instruction\": \"x\", \"response\": \"y\", \"category\": true}",        // a boolean
        "{\"instruction\": \"" + secret + "\", \"" + secret + "\": 1, \"" + secret + "\": 2}", // duplicate field
        "{\"instruction\": \"" + secret,                                            // the line ends inside a string
        "{\"instruction\": \"x\"} " + secret,                                        // trailing content
        "'" + secret + "'",
        "\"" + secret + "\"",
        secret,
    };
    for (String record : records) {
      List<ParseResult> r = lines(record);
      assertEquals(1, r.size(), record);
      BadRecord b = r.get(0).bad();
      String said = b.describe();
      assertFalse(said.contains("Zq7") || said.contains("4242") || said.contains("true"), said);
      assertTrue(said.startsWith("in.jsonl line 1"), said);
    }
    for (String record : records) {
      String said = array("[" + record + "]").get(0).bad().describe();
      assertFalse(said.contains("Zq7") || said.contains("4242") || said.contains("true"), said);
    }
    // A client key too long for a folder name: its length, not its text.
    List<ParseResult> keyed = new ArrayList<>();
    new JsonRecordParser(new RecordValidator("tenant")).parseLines("t.jsonl", new ByteArrayInputStream(
        ("{\"instruction\":\"a\",\"response\":\"b\",\"tenant\":\"Zq7" + "k".repeat(300) + "\"}")
            .getBytes(StandardCharsets.UTF_8)), keyed::add);
    String said = keyed.get(0).bad().describe();
    assertEquals(BadRecordReason.INVALID_CLIENT_KEY, keyed.get(0).bad().reason());
    assertFalse(said.contains("Zq7") || said.contains("kkk"), said);
    // Invalid UTF-8: the position, not the byte.
    byte[] bad = concat("{\"instruction\":\"caf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9, ' ', '"', '}'});
    assertEquals("in.jsonl line 1: invalid UTF-8 at byte 20 of the line", lines(bad).get(0).bad().describe());
  }

  @Test
  void malformedJsonStillSaysWhereOnTheLine() throws IOException {
    BadRecord b = lines(A + "\n{\"instruction\": oops}\n").get(1).bad();
    assertEquals(BadRecordReason.MALFORMED_JSON, b.reason());
    assertNull(b.field());
    assertEquals("in.jsonl line 2: malformed JSON at column 17 (not a JSON value)", b.describe());
    assertEquals("in.jsonl line 1: malformed JSON at column 17 (the line ends inside a JSON value)",
        lines("{\"instruction\": ").get(0).bad().describe());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
