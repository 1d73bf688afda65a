package io.fedit.data;

import java.io.Serializable;

/** Either a valid record or a bad one: what parsing one input element yields. */
public record ParseResult(InstructionRecord record, BadRecord bad) implements Serializable {
  public static ParseResult ok(InstructionRecord record) {
    return new ParseResult(record, null);
  }

  public static ParseResult bad(BadRecord bad) {
    return new ParseResult(null, bad);
  }

  public boolean isOk() {
    return record != null;
  }
}
