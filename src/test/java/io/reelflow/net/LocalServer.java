package io.reelflow.net;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on 127.0.0.1 and a free port for fetch tests, counting the requests it gets.
 * Handlers that {@link #hold()} wait until the server closes.
 */
public final class LocalServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger hits = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  public LocalServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves {@code handler} under {@code path}, counting each request. */
  public LocalServer on(String path, HttpHandler handler) {
    server.createContext(path, exchange -> {
      hits.incrementAndGet();
      try (exchange) {
        handler.handle(exchange);
      } catch (IOException e) {
        // the client went away (a cancelled download): nothing to answer
      }
    });
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Requests received so far. */
  public int hits() {
    return hits.get();
  }

  /** Blocks the calling handler until the server closes: a server that stops answering. */
  public void hold() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends {@code head}, then one byte per {@code every} until the server closes: a slow drip. */
  public HttpHandler trickle(byte[] head, Duration every) {
    return exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(head);
      out.flush();
      try {
        while (!closing.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
          out.write(0);
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Answers {@code status} with {@code body} and a Content-Length. */
  public static HttpHandler answer(int status, String contentType, byte[] body) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    };
  }

  /** Answers 302 to {@code location}. */
  public static HttpHandler redirect(String location) {
    return exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
    };
  }

  /** Streams {@code body} chunked (no Content-Length). */
  public static HttpHandler chunked(String contentType, byte[] body) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(body);
    };
  }
}
