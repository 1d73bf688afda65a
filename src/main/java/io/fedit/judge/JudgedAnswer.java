package io.fedit.judge;

/** One row of metrics/judge_scores: the answer graded, the judge model's name and the outcome. */
public record JudgedAnswer(StoredAnswer answer, String judgeModel, JudgeOutcome outcome) {}
