package io.fedit.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Streams one JSON Lines file or one JSON-array file into {@link ParseResult}s, each tagged with the
 * file and its 1-based line. Bytes are decoded as strict UTF-8: invalid sequences are reported, never
 * replaced. Whitespace-only lines in JSON Lines are ignored. A JSON-array file that is not valid
 * JSON as a whole cannot be resynchronised: its first error ends the file (one bad record).
 */
public final class JsonRecordParser {
  /**
   * Jackson refuses strings over 20 M characters by default (StreamReadConstraints), which reported a valid
   * 50 MB record as "malformed JSON". Records have no length limit of their own: a line (or array element)
   * is bounded only by what Java can hold (2 GB).
   */
  private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
          .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
              .maxStringLength(Integer.MAX_VALUE).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final RecordValidator validator;

  public JsonRecordParser(RecordValidator validator) {
    this.validator = validator;
  }

  /** JSON Lines: one object per line. */
  public void parseLines(String file, InputStream in, Consumer<ParseResult> out) throws IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    long lineNo = 0;
    int b;
    boolean pending = false;
    while (true) {
      b = buffered.read();
      if (b == -1 || b == '\n') {
        if (b == -1 && !pending) break;
        lineNo++;
        parseLine(file, lineNo, line.toByteArray(), utf8, out);
        line.reset();
        pending = false;
        if (b == -1) break;
      } else {
        line.write(b);
        pending = true;
      }
    }
  }

  private void parseLine(String file, long lineNo, byte[] bytes, CharsetDecoder utf8, Consumer<ParseResult> out) {
    String text;
    try {
      text = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      out.accept(ParseResult.bad(new BadRecord(file, lineNo, null, BadRecordReason.INVALID_UTF8,
          "invalid UTF-8 (" + invalidUtf8Where(bytes) + ")")));
      return;
    }
    if (text.isBlank()) return;
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      out.accept(ParseResult.bad(new BadRecord(file, lineNo, null, BadRecordReason.MALFORMED_JSON,
          "malformed JSON: " + shortMessage(e))));
      return;
    }
    out.accept(validator.validate(file, lineNo, node));
  }

  /** A JSON array of objects; the line reported is where each element starts. */
  public void parseArray(String file, InputStream in, Consumer<ParseResult> out) throws IOException {
    long line = 1;
    try (JsonParser p = JSON.getFactory().createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        out.accept(ParseResult.bad(new BadRecord(file, 1, null, BadRecordReason.MALFORMED_JSON,
            "expected a JSON array of records, got " + (first == null ? "an empty file" : first.asString()))));
        return;
      }
      while (true) {
        JsonToken t = p.nextToken();
        line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.END_ARRAY) break;
        if (t == null) {
          out.accept(ParseResult.bad(new BadRecord(file, line, null, BadRecordReason.MALFORMED_JSON,
              "malformed JSON: the array is not closed")));
          return;
        }
        JsonNode node = JSON.readTree(p);
        out.accept(validator.validate(file, line, node));
      }
    } catch (CharConversionException e) {
      out.accept(ParseResult.bad(new BadRecord(file, line, null, BadRecordReason.INVALID_UTF8,
          "invalid UTF-8: " + shortMessage(e))));
    } catch (JsonParseException e) {
      JsonLocation loc = e.getLocation();
      long at = loc != null && loc.getLineNr() > 0 ? loc.getLineNr() : line;
      BadRecordReason reason = e.getOriginalMessage().contains("UTF-8") || e.getOriginalMessage().contains("UTF8")
          ? BadRecordReason.INVALID_UTF8 : BadRecordReason.MALFORMED_JSON;
      out.accept(ParseResult.bad(new BadRecord(file, at, null, reason,
          (reason == BadRecordReason.INVALID_UTF8 ? "invalid UTF-8: " : "malformed JSON: ") + shortMessage(e))));
    }
  }

  private static String invalidUtf8Where(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer outBuf = java.nio.CharBuffer.allocate(bytes.length + 1);
    var result = d.decode(in, outBuf, true);
    return "bad byte 0x" + String.format("%02x", bytes[Math.min(in.position(), bytes.length - 1)] & 0xff)
        + " at byte " + (in.position() + 1) + " of the line" + (result.isError() ? "" : "");
  }

  private static String shortMessage(IOException e) {
    String m = e instanceof JsonParseException jp ? jp.getOriginalMessage() : e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
