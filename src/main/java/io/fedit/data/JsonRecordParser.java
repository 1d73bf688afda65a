package io.fedit.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Streams one JSON Lines file or one JSON-array file into {@link ParseResult}s, each tagged with the
 * file and its 1-based line. A file is read completely: every line of a JSON Lines file is one record or one
 * bad record, and a JSON-array file is read to its end (arrays that follow the first one, as {@code cat a.json
 * b.json} makes, are read too; anything else after a closing ']' is one bad record).
 *
 * <ul>
 *   <li>Line ends: LF, CRLF and a lone CR each end a line (as Python's universal newlines and Jackson's own line
 *       count do), so a file saved with any convention keeps one record per line and the same line numbers.
 *   <li>A UTF-8 byte-order mark at the very start of a file is skipped; anywhere else it is content.
 *   <li>Bytes are decoded as strict UTF-8: invalid sequences are reported, never replaced.
 *   <li>Whitespace-only lines in JSON Lines are ignored; anything but whitespace after a line's JSON value
 *       (two objects on one line) makes the line a {@link BadRecordReason#TRAILING_CONTENT} bad record.
 *   <li>A JSON-array file that is not valid JSON as a whole cannot be resynchronised: its first error ends
 *       the file (one bad record).
 * </ul>
 *
 * <p>No message quotes the record: Jackson's exception texts ("Unrecognized token 'secret'", "Duplicate field
 * 'x'") are never passed on, only a reason of our own and the column where it happened.
 */
public final class JsonRecordParser {
  /**
   * Jackson refuses strings over 20 M characters by default (StreamReadConstraints), which reported a valid
   * 50 MB record as "malformed JSON". Records have no length limit of their own: a line (or array element)
   * is bounded only by what Java can hold (2 GB). Source text is never part of a location (it would quote the
   * record in a message).
   */
  private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
          .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
              .maxStringLength(Integer.MAX_VALUE).build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final int[] BYTE_ORDER_MARK = {0xEF, 0xBB, 0xBF};

  private final RecordValidator validator;

  public JsonRecordParser(RecordValidator validator) {
    this.validator = validator;
  }

  /** JSON Lines: one object per line; LF, CRLF or CR end a line. */
  public void parseLines(String file, InputStream in, Consumer<ParseResult> out) throws IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    skipByteOrderMark(buffered);
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    long lineNo = 0;
    boolean pending = false; // bytes read since the last line end
    int b = buffered.read();
    while (b != -1) {
      if (b == '\n' || b == '\r') {
        lineNo++;
        parseLine(file, lineNo, line.toByteArray(), utf8, out);
        line.reset();
        pending = false;
        int next = buffered.read();
        if (b == '\r' && next == '\n') next = buffered.read(); // CRLF is one line end
        b = next;
      } else {
        line.write(b);
        pending = true;
        b = buffered.read();
      }
    }
    if (pending) parseLine(file, lineNo + 1, line.toByteArray(), utf8, out);
  }

  /**
   * Skips a UTF-8 byte-order mark (EF BB BF) at the current position of {@code in}, the start of a file; any
   * other bytes are left unread.
   */
  public static void skipByteOrderMark(BufferedInputStream in) throws IOException {
    in.mark(BYTE_ORDER_MARK.length);
    for (int expected : BYTE_ORDER_MARK) {
      if (in.read() != expected) {
        in.reset();
        return;
      }
    }
  }

  private void parseLine(String file, long lineNo, byte[] bytes, CharsetDecoder utf8, Consumer<ParseResult> out) {
    String text;
    try {
      text = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      out.accept(bad(file, lineNo, BadRecordReason.INVALID_UTF8,
          "invalid UTF-8 at byte " + (firstInvalidByte(bytes) + 1) + " of the line"));
      return;
    }
    if (text.isBlank()) return;
    JsonNode node;
    int end;
    try (JsonParser p = JSON.createParser(text)) {
      node = JSON.readTree(p);
      end = (int) p.currentLocation().getCharOffset();
    } catch (JsonProcessingException e) {
      out.accept(bad(file, lineNo, BadRecordReason.MALFORMED_JSON, "malformed JSON at column "
          + columnOf(e, text.length()) + " (" + syntaxProblem(e, "the line ends inside a JSON value") + ")"));
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String: not expected
    }
    for (int i = Math.max(0, end); i < text.length(); i++) {
      if (!isJsonWhitespace(text.charAt(i))) {
        out.accept(bad(file, lineNo, BadRecordReason.TRAILING_CONTENT, "content after the JSON "
            + (node != null && node.isObject() ? "object" : "value") + " at column " + (i + 1)
            + " (one record per line)"));
        return;
      }
    }
    out.accept(validator.validate(file, lineNo, node));
  }

  /** A JSON array of objects (or several arrays one after another); the line reported is where each element starts. */
  public void parseArray(String file, InputStream in, Consumer<ParseResult> out) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    skipByteOrderMark(buffered);
    long line = 1;
    boolean afterArray = false; // between a closing ']' and whatever follows it
    try (JsonParser p = JSON.getFactory().createParser(buffered)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        out.accept(bad(file, 1, BadRecordReason.MALFORMED_JSON,
            "expected a JSON array of records, got " + (first == null ? "an empty file" : describe(first))));
        return;
      }
      while (true) {
        JsonToken t = p.nextToken();
        line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.END_ARRAY) {
          afterArray = true;
          JsonToken following = p.nextToken();
          if (following == null) break;
          line = p.currentTokenLocation().getLineNr();
          if (following != JsonToken.START_ARRAY) {
            out.accept(trailingAfterArray(file, line));
            return;
          }
          afterArray = false;
          continue;
        }
        if (t == null) {
          out.accept(bad(file, line, BadRecordReason.MALFORMED_JSON, "malformed JSON: the array is not closed"));
          return;
        }
        JsonNode node = JSON.readTree(p);
        out.accept(validator.validate(file, line, node));
      }
    } catch (CharConversionException e) {
      out.accept(bad(file, line, BadRecordReason.INVALID_UTF8, "invalid UTF-8"));
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      long at = loc != null && loc.getLineNr() > 0 ? loc.getLineNr() : line;
      if (afterArray) {
        out.accept(trailingAfterArray(file, at));
        return;
      }
      String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
      if (original.contains("UTF-8") || original.contains("UTF8")) {
        out.accept(bad(file, at, BadRecordReason.INVALID_UTF8, "invalid UTF-8"));
      } else {
        out.accept(bad(file, at, BadRecordReason.MALFORMED_JSON, "malformed JSON at column "
            + columnOf(e, 0) + " (" + syntaxProblem(e, "the file ends inside the JSON array") + ")"));
      }
    }
  }

  private static ParseResult trailingAfterArray(String file, long line) {
    return bad(file, line, BadRecordReason.TRAILING_CONTENT,
        "content after the closing ']' of the JSON array (expected another array or the end)");
  }

  /** What kind of syntax error Jackson found, in our words (its own message may quote the record). */
  private static String syntaxProblem(JsonProcessingException e, String endOfInput) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof JsonEOFException) return endOfInput;
    if (original.startsWith("Duplicate field")) return "a field name appears twice in one object";
    if (original.startsWith("Unrecognized token") || original.contains("expected a valid value")) {
      return "not a JSON value";
    }
    return "invalid JSON syntax";
  }

  /** The 1-based column of a parse error, or {@code fallback} where Jackson knows none. */
  private static long columnOf(JsonProcessingException e, long fallback) {
    JsonLocation loc = e.getLocation();
    return loc != null && loc.getColumnNr() > 0 ? loc.getColumnNr() : fallback;
  }

  /** The token kinds a file can start with, in words (never the token's text). */
  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** The 0-based offset of the first byte that is not valid UTF-8. */
  private static int firstInvalidByte(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    d.decode(in, java.nio.CharBuffer.allocate(bytes.length + 1), true);
    return in.position();
  }

  private static ParseResult bad(String file, long line, BadRecordReason reason, String message) {
    return ParseResult.bad(new BadRecord(file, line, null, reason, message));
  }
}
