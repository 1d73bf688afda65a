package io.fedit.data;

import java.io.Serializable;
import java.util.Locale;

/**
 * Turns an instruction (and optional context) into the prompt text that precedes the response.
 * {@code alpaca} is the template of the FedIT (Shepherd) and alpaca-lora code; {@code none} joins the
 * raw texts with newlines.
 */
public enum PromptTemplate implements Serializable {
  ALPACA {
    @Override
    public String prompt(String instruction, String context) {
      if (context == null || context.isEmpty()) {
        return "Below is an instruction that describes a task. Write a response that appropriately "
            + "completes the request.\n\n### Instruction:\n" + instruction + "\n\n### Response:\n";
      }
      return "Below is an instruction that describes a task, paired with an input that provides further "
          + "context. Write a response that appropriately completes the request.\n\n### Instruction:\n"
          + instruction + "\n\n### Input:\n" + context + "\n\n### Response:\n";
    }
  },
  NONE {
    @Override
    public String prompt(String instruction, String context) {
      if (context == null || context.isEmpty()) return instruction + "\n";
      return instruction + "\n" + context + "\n";
    }
  };

  /** The text the model sees before the response. */
  public abstract String prompt(String instruction, String context);

  /** By configuration name: {@code alpaca} or {@code none}. */
  public static PromptTemplate named(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown prompt template '" + name + "' (expected alpaca or none)");
    }
  }
}
