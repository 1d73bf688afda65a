package io.fedit.judge;

/**
 * What grading one answer gave: a score 1-10 (null unless {@code status} is "ok"), the status
 * ("ok" | "unparseable" | "error"), a short reason or the judge's text cut to 500 characters, the HTTP
 * attempts made and the wall time including retries.
 */
public record JudgeOutcome(Integer score, String status, String detail, int attempts, long wallMs) {
  public static final String OK = "ok";
  public static final String UNPARSEABLE = "unparseable";
  public static final String ERROR = "error";
  static final int DETAIL_CHARS = 500;

  public JudgeOutcome {
    detail = cut(detail);
  }

  static String cut(String s) {
    return s == null || s.length() <= DETAIL_CHARS ? s : s.substring(0, DETAIL_CHARS);
  }
}
