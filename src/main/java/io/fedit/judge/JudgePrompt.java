package io.fedit.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The grading request for one answer: a system message with the rubric and a user message with the
 * question, the reference (when the split has one) and the answer. The judge must end with
 * "Rating: [[N]]", which {@link ScoreParser} reads first.
 */
public final class JudgePrompt {
  static final String RUBRIC = """
      You grade one answer written by an AI assistant to a user's request. Judge only the answer \
      shown, on its own merits, as a careful human reviewer would.

      Weigh, in this order:
      1. Correctness: are its statements true and does it do what was asked? A wrong answer is poor \
      however well written it is.
      2. Helpfulness and completeness: does it address every part of the request at a useful level \
      of detail, without padding?
      3. Clarity: is it coherent, on topic, readable and free of repetition?
      If a reference answer is given, use it as evidence of what a good answer contains; a different \
      answer that is also correct deserves full credit.

      Scale: 1-2 irrelevant, incoherent or wholly wrong; 3-4 on topic but mostly wrong or unhelpful; \
      5-6 partly right or incomplete; 7-8 correct and helpful with minor gaps; 9-10 correct, complete \
      and clear. Length alone earns nothing.

      Write at most three sentences of reasons, then on the last line exactly "Rating: [[N]]" with N \
      a whole number from 1 to 10.""";

  private JudgePrompt() {}

  /** The {@code messages} array of a chat-completions request for {@code a}. */
  static ArrayNode messages(ObjectMapper json, StoredAnswer a) {
    StringBuilder user = new StringBuilder();
    user.append("[Request]\n").append(a.prompt().strip()).append("\n\n");
    if (a.reference() != null && !a.reference().isBlank()) {
      user.append("[Reference answer]\n").append(a.reference().strip()).append("\n\n");
    }
    user.append("[Answer to grade]\n").append(a.answer() == null ? "" : a.answer().strip());
    ArrayNode messages = json.createArrayNode();
    messages.add(message(json, "system", RUBRIC));
    messages.add(message(json, "user", user.toString()));
    return messages;
  }

  private static ObjectNode message(ObjectMapper json, String role, String content) {
    return json.createObjectNode().put("role", role).put("content", content);
  }
}
