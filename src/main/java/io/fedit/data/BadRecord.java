package io.fedit.data;

import java.io.Serializable;

/**
 * A refused input record: where it is, which field, and why. {@code field} is null when the whole
 * record is at fault (malformed JSON, invalid UTF-8). Holds no record text beyond the message.
 */
public record BadRecord(String file, long line, String field, BadRecordReason reason, String message)
    implements Serializable {

  /** "train.jsonl line 17, field 'response': missing (expected a non-empty string)". */
  public String describe() {
    StringBuilder sb = new StringBuilder(file).append(" line ").append(line);
    if (field != null) sb.append(", field '").append(field).append('\'');
    return sb.append(": ").append(message).toString();
  }
}
