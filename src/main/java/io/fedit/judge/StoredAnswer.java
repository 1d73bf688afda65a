package io.fedit.judge;

/**
 * One generated answer as stored in metrics/eval_generations, the unit the judge grades.
 * {@code reference} is null where the split has no reference answers (vicuna80).
 */
public record StoredAnswer(int round, String adapter, String split, long recordId, String category,
    String prompt, String answer, String reference) {}
