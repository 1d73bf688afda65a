package io.fedit.eval;

/**
 * One row of metrics/eval_generations: a greedy answer.
 *
 * @param prompt       the instruction, then a blank line and the context when there is one (the text the
 *                     prompt template wraps; a shortened context is stored whole)
 * @param reference    the reference response, or null (Vicuna questions)
 * @param rougeL       ROUGE-L F1 against the reference, NaN (null in the table) without one
 * @param finishReason "eos" or "length"
 */
public record EvalGenerationRow(int round, String adapter, String split, long recordId, String category,
    String prompt, String answer, String reference, double rougeL, String finishReason) {}
