package io.fedit.eval;

import io.fedit.client.TrainingExample;
import io.fedit.data.PromptTemplate;
import io.fedit.model.Tokenizer;

/**
 * One eval record tokenized exactly as training tokenizes it ({@link TrainingExample}: BOS + tokens(prompt +
 * response), EOS appended when it fits, cut at cutoff_len), except that with truncate = context a record
 * too long for cutoff_len first gets its context shortened (by characters, longest prefix that fits) so
 * that the whole response and EOS are kept.
 *
 * @param scored          the scored sequence, or null for an unscored record (no reference); its targets at
 *                        positions >= promptLen - 1 are the response tokens (and EOS when kept)
 * @param generationPrompt BOS + tokens(prompt) of the same (possibly shortened) prompt, for greedy answers
 * @param contextChars    characters of the context kept (its full length when not shortened)
 */
public record EvalExample(TrainingExample scored, long[] generationPrompt, int contextChars) {

  /** Response tokens scored: targets at positions promptLen-1 .. n-2 (0 when the cut removed them all). */
  public int responseTokens() {
    return scored == null ? 0 : Math.max(0, scored.tokens().length - Math.max(scored.promptLen(), 1));
  }

  /**
   * @param shortenContext truncate = context
   */
  public static EvalExample of(EvalItem item, Tokenizer tok, PromptTemplate template, int cutoffLen,
      boolean shortenContext) {
    String ctx = item.context();
    int keep = ctx.length();
    if (item.reference() != null && shortenContext && !ctx.isEmpty()
        && !fits(item, ctx.length(), tok, template, cutoffLen)) {
      // Largest prefix length that fits (fits is monotone up to tokenizer merges at the cut; good enough).
      int lo = 0, hi = ctx.length() - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (fits(item, mid, tok, template, cutoffLen)) lo = mid;
        else hi = mid - 1;
      }
      keep = lo;
    }
    String prompt = template.prompt(item.instruction(), cut(ctx, keep));
    long[] promptIds = tok.encode(prompt, true);
    TrainingExample scored = item.reference() == null ? null
        : TrainingExample.of(tok.encode(prompt + item.reference(), true), promptIds.length, tok.eosId(), cutoffLen);
    return new EvalExample(scored, promptIds, keep);
  }

  /** Whether BOS + prompt + response + EOS fits in cutoffLen with the first {@code chars} of the context. */
  private static boolean fits(EvalItem item, int chars, Tokenizer tok, PromptTemplate template, int cutoffLen) {
    String prompt = template.prompt(item.instruction(), cut(item.context(), chars));
    return tok.encode(prompt + item.reference(), true).length < cutoffLen;
  }

  /** The first {@code chars} characters, never splitting a surrogate pair. */
  private static String cut(String s, int chars) {
    if (chars >= s.length()) return s;
    if (chars > 0 && Character.isHighSurrogate(s.charAt(chars - 1))) chars--;
    return s.substring(0, chars);
  }
}
