package io.fedit.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * Turns one parsed JSON value into an {@link InstructionRecord} or a {@link BadRecord}. Fields:
 * {@code instruction} and {@code response} required non-blank strings; {@code context} and
 * {@code category} optional strings (absent or null means empty); the client-key column, when one
 * is configured, a required non-blank string (an integer is accepted and used as its decimal text).
 * Other fields are ignored. Messages give the field and the kind of value found, never a value.
 */
public final class RecordValidator implements Serializable {
  public static final String INSTRUCTION = "instruction";
  public static final String CONTEXT = "context";
  public static final String RESPONSE = "response";
  public static final String CATEGORY = "category";

  private final String clientKeyColumn;

  /** @param clientKeyColumn the configured client-key column, or null */
  public RecordValidator(String clientKeyColumn) {
    this.clientKeyColumn = clientKeyColumn;
  }

  public ParseResult validate(String file, long line, JsonNode node) {
    if (node == null || !node.isObject()) {
      String got = node == null ? "nothing" : kind(node);
      return bad(file, line, null, BadRecordReason.NOT_AN_OBJECT, "expected a JSON object (one record), got " + got);
    }
    Field instruction = required(node, INSTRUCTION);
    if (instruction.error != null) return bad(file, line, INSTRUCTION, instruction.reason, instruction.error);
    Field response = required(node, RESPONSE);
    if (response.error != null) return bad(file, line, RESPONSE, response.reason, response.error);
    Field context = optional(node, CONTEXT);
    if (context.error != null) return bad(file, line, CONTEXT, context.reason, context.error);
    Field category = optional(node, CATEGORY);
    if (category.error != null) return bad(file, line, CATEGORY, category.reason, category.error);
    String clientKey = null;
    if (clientKeyColumn != null) {
      JsonNode key = node.get(clientKeyColumn);
      if (key != null && key.isIntegralNumber()) {
        clientKey = key.asText();
      } else {
        Field f = required(node, clientKeyColumn);
        if (f.error != null) return bad(file, line, clientKeyColumn, f.reason, f.error);
        clientKey = f.value;
      }
      String keyProblem = clientKeyProblem(clientKey);
      if (keyProblem != null) return bad(file, line, clientKeyColumn, BadRecordReason.INVALID_CLIENT_KEY, keyProblem);
    }
    return ParseResult.ok(new InstructionRecord(
        file, line, instruction.value, context.value, response.value, category.value.trim(), clientKey));
  }

  /** Folder names longer than this fail on common filesystems (ext4, XFS, HDFS's default limit). */
  static final int MAX_FOLDER_NAME_BYTES = 255;

  /**
   * Each client is a folder {@code client_id=<key>} of the client table, with the key escaped as Spark
   * escapes partition values ({@code /}, {@code :}, {@code =}, {@code %}, control characters … as %XX).
   * Returns why the key cannot be one, or null.
   */
  static String clientKeyProblem(String key) {
    String folder = "client_id=" + org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils.escapePathName(key);
    int bytes = folder.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes <= MAX_FOLDER_NAME_BYTES) return null;
    return "client key of " + key.length() + " characters is too long: its folder name takes " + bytes
        + " bytes, at most " + MAX_FOLDER_NAME_BYTES + " are possible (escaped characters count 3); use shorter keys";
  }

  private record Field(String value, BadRecordReason reason, String error) {}

  private static Field required(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return new Field(null, BadRecordReason.MISSING_FIELD, "missing (expected a non-empty string)");
    }
    if (!v.isTextual()) {
      return new Field(null, BadRecordReason.NOT_A_STRING, "expected a string, got " + kind(v));
    }
    if (v.textValue().isBlank()) {
      return new Field(null, BadRecordReason.EMPTY_FIELD, "empty (expected a non-empty string)");
    }
    return new Field(v.textValue(), null, null);
  }

  private static Field optional(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return new Field("", null, null);
    if (!v.isTextual()) {
      return new Field(null, BadRecordReason.NOT_A_STRING, "expected a string, got " + kind(v));
    }
    return new Field(v.textValue(), null, null);
  }

  /** The kind of a value, never the value itself: messages name where a record is, not what it says. */
  private static String kind(JsonNode v) {
    if (v.isNumber()) return "a number";
    if (v.isBoolean()) return "a boolean";
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static ParseResult bad(String file, long line, String field, BadRecordReason reason, String msg) {
    return ParseResult.bad(new BadRecord(file, line, field, reason, msg));
  }
}
