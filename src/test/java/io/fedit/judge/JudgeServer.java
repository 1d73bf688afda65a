package io.fedit.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that speaks the chat-completions protocol: POST /v1/chat/completions,
 * answered by a {@link Reply} that sees the request number (1-based) and body. It records every request's
 * Authorization header, body and arrival time, and the most requests it ever had in flight at once.
 */
public final class JudgeServer implements AutoCloseable {
  public interface Reply {
    void send(HttpExchange ex, int requestNumber, String body) throws Exception;
  }

  public record Seen(String authorization, String body, long nanos) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private JudgeServer(Reply reply) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", ex -> {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try (ex) {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(ex.getRequestHeaders().getFirst("Authorization"), body, System.nanoTime()));
        if (!ex.getRequestMethod().equals("POST")) {
          status(ex, 405, "POST only");
          return;
        }
        reply.send(ex, count.incrementAndGet(), body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // the client went away (a timed-out request): nothing to answer
      } finally {
        inFlight.decrementAndGet();
      }
    });
    server.setExecutor(pool);
    server.start();
  }

  public static JudgeServer start(Reply reply) throws IOException {
    return new JudgeServer(reply);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public List<Seen> seen() {
    return seen;
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** A 200 response whose choices[0].message.content is {@code content}, as OpenAI-compatible servers send. */
  public static void completion(HttpExchange ex, String content) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion");
    root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
        .putObject("message").put("role", "assistant").put("content", content);
    send(ex, 200, JSON.writeValueAsString(root));
  }

  public static void status(HttpExchange ex, int code, String body) throws IOException {
    send(ex, code, body);
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
