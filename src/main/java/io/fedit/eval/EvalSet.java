package io.fedit.eval;

import java.util.List;

/**
 * A named eval split: its records in id order. {@code scored} splits have reference responses (loss and
 * ROUGE-L); unscored ones (Vicuna questions) are only answered.
 */
public record EvalSet(String split, List<EvalItem> items, boolean scored) {
  public EvalSet {
    items = List.copyOf(items);
    if (items.isEmpty()) throw new IllegalArgumentException("eval split '" + split + "' has no records");
  }
}
