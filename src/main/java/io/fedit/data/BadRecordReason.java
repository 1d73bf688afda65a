package io.fedit.data;

/** Why an input record was refused. Counted per reason under {@code data.on_bad_record: skip}. */
public enum BadRecordReason {
  /** The line (or file) is not valid JSON. */
  MALFORMED_JSON,
  /**
   * Something other than whitespace after a record's JSON value on its line (two objects on one line), or after
   * the closing ']' of a JSON-array file (other than a further array).
   */
  TRAILING_CONTENT,
  /** The bytes are not valid UTF-8. */
  INVALID_UTF8,
  /** A JSON value where an object (one record) was expected. */
  NOT_AN_OBJECT,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A required field is an empty or blank string. */
  EMPTY_FIELD,
  /** A field holds a number, boolean, array or object where a string was expected. */
  NOT_A_STRING,
  /** The client key cannot name a folder of the client table (too long once escaped). */
  INVALID_CLIENT_KEY
}
