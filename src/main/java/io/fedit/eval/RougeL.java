package io.fedit.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L F1 as Google's rouge-score package computes it with its default tokenizer and no stemmer:
 * lower-case, every run of characters other than [a-z0-9] becomes a separator, empty tokens dropped
 * (so "Don't stop!" → [don, t, stop]; non-ASCII letters are separators). With L the length of the
 * longest common subsequence of the token lists: precision = L / |answer|, recall = L / |reference|,
 * F1 = 2PR / (P + R); 0 when either list is empty or L = 0.
 */
public final class RougeL {
  private RougeL() {}

  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String t : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!t.isEmpty()) out.add(t);
    }
    return out;
  }

  /** Length of the longest common subsequence (dynamic programming, two rows). */
  public static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1], cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }

  /** F1 of {@code answer} against {@code reference}. */
  public static double f1(String answer, String reference) {
    List<String> a = tokens(answer), r = tokens(reference);
    if (a.isEmpty() || r.isEmpty()) return 0;
    int l = lcs(a, r);
    if (l == 0) return 0;
    double p = (double) l / a.size(), rec = (double) l / r.size();
    return 2 * p * rec / (p + rec);
  }
}
