package io.fedit.judge;

/**
 * One row of metrics/judge_scores as read back ({@link JudgeScoresTable#readAll}): which answer was graded, by
 * which judge model, and the outcome. {@code score} is null unless {@code status} is "ok"; {@code category} and
 * {@code detail} may be null.
 */
public record JudgeScoreRow(int round, String adapter, String split, long recordId, String category,
    String judgeModel, Integer score, String status, String detail, int attempts, long wallMs) {}
