package io.fedit.eval;

import java.io.Serializable;

/**
 * One record of an eval split, as shipped to the tasks.
 *
 * @param recordId  0-based position in (file, line) order for instruction data; question_id for Vicuna
 * @param category  never null; empty when the input had none
 * @param context   never null; empty when none
 * @param reference the reference response, or null (Vicuna questions have none)
 */
public record EvalItem(long recordId, String category, String instruction, String context, String reference)
    implements Serializable {

  /** What the generations table stores as the prompt: the instruction, then the context after a blank line. */
  public String promptText() {
    return context.isEmpty() ? instruction : instruction + "\n\n" + context;
  }
}
