package io.reelflow.intake;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Field;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP server of every {@code platform-http} route (the REST DSL: the API, provider webhooks,
 * the page): Vert.x ({@code camel-platform-http-vertx}) on {@code reelflow.api.server.port}. Spring's
 * Tomcat keeps {@code server.port} for operators (actuator, Hawtio, Jolokia).
 *
 * <p>Why not Spring Boot's platform-http engine: on the 2-core machine a route that answers a
 * constant reached 3,700-5,800 requests a second there and 52,000 on Vert.x (docs/benchmarks.md).
 * Routes still run on worker threads ({@code executeBlocking}), never on the event loop, so JDBC
 * and S3 calls in them are fine; an open event stream holds a worker while it waits, hence the
 * pool is sized for {@code reelflow.api.max-streams} plus the request workers.
 *
 * <p>Requests the routes never see are answered here in the API's own form, application/problem+json:
 * an unknown path (404 {@code not_found}), a method a path does not have (405
 * {@code method_not_allowed}) and a body over the server's limit (413 {@code payload_too_large};
 * the submission route enforces {@code reelflow.api.max-body-bytes} itself). The server listens
 * before the routes start and after they stop, so while the instance starts or stops a path whose
 * route is not running is answered 503 {@code unavailable} with {@code Retry-After}, not 404: a
 * client of an instance being restarted retries instead of concluding the resource is gone.
 */
@Configuration(proxyBeanMethods = false)
class ApiServer {

  /** Exchange property: the request's {@code io.vertx.core.http.HttpServerResponse}. */
  static final String RESPONSE = "reelflowHttpResponse";

  /**
   * Bodies above this are refused before any route reads them; each route's own limit is far lower
   * (a submission or scene edit: reelflow.api.max-body-bytes; a provider webhook: 1 MiB at most).
   */
  private static final long SERVER_BODY_LIMIT = 16L * 1024 * 1024;

  @Bean(destroyMethod = "close")
  Vertx apiVertx(ApiSettings api, ApiServerSettings server) {
    return Vertx.vertx(new VertxOptions().setWorkerPoolSize(server.workers() + api.maxStreams()));
  }

  /** The component, configured: content negotiation is the routes' (problem+json 415/406), not Vert.x's. */
  @Bean("platform-http")
  PlatformHttpComponent platformHttp() {
    PlatformHttpComponent component = new PlatformHttpComponent();
    component.setServerRequestValidation(false);
    component.setEngine(new ResponseKeepingEngine());
    return component;
  }

  /**
   * Vert.x's engine, whose exchanges keep the request's response in property {@link #RESPONSE}:
   * the message that carries it does not survive the routes' steps, and the event stream writes to
   * it directly.
   */
  private static final class ResponseKeepingEngine extends VertxPlatformHttpEngine {
    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
      return new ResponseKeepingConsumer(endpoint, processor, getHandlers(),
          VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }
  }

  private static final class ResponseKeepingConsumer extends VertxPlatformHttpConsumer {

    ResponseKeepingConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
        String routerName) {
      super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected Future<Void> processHttpRequest(Exchange exchange, RoutingContext ctx) {
      exchange.setProperty(RESPONSE, ctx.response());
      return super.processHttpRequest(exchange, ctx);
    }
  }

  @Bean
  CamelContextConfiguration apiServerStart(ApiServerSettings settings, Problems problems) {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext camel) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(settings.host());
        configuration.setBindPort(settings.port());
        configuration.setMaxBodySize(SERVER_BODY_LIMIT);
        configuration.getBodyHandler().setHandleFileUploads(false);
        try {
          camel.addService(new ProblemAnsweringServer(configuration, problems, camel), true, true);
        } catch (Exception e) {
          throw new IllegalStateException("cannot start the API server on port " + settings.port(), e);
        }
      }

      @Override
      public void afterApplicationStart(CamelContext camel) {
        // the server logs a failed bind and carries on; an instance without its API must not
        VertxPlatformHttpServer server = camel.hasService(VertxPlatformHttpServer.class);
        if (server == null || server.getServer() == null || server.getServer().actualPort() <= 0) {
          throw new IllegalStateException("the API server is not listening on " + settings.host() + ":" + settings.port()
              + " (is the port taken?)");
        }
      }
    };
  }

  /**
   * The server, with the API's answers for requests no route matches (a named class: Camel names
   * its thread pool after the class).
   */
  private static final class ProblemAnsweringServer extends VertxPlatformHttpServer {

    private final Problems problems;
    private final CamelContext camel;

    ProblemAnsweringServer(VertxPlatformHttpServerConfiguration configuration, Problems problems, CamelContext camel) {
      super(configuration);
      this.problems = problems;
      this.camel = camel;
    }

    @Override
    protected void initializeServer() {
      super.initializeServer();
      Router root = rootRouter();
      root.errorHandler(404, ctx -> answer(ctx, problems, camel.isStarted()
          ? new ApiException(404, "not_found", "Not found", "no such resource: " + ctx.request().path(), List.of())
          : UNAVAILABLE));
      root.errorHandler(405, ctx -> answer(ctx, problems, new ApiException(405, "method_not_allowed",
          "Method not allowed", ctx.request().method() + " is not allowed on " + ctx.request().path(), List.of())));
      root.errorHandler(413, ctx -> answer(ctx, problems,
          ApiException.payloadTooLarge("the body is larger than this server accepts")));
    }

    /**
     * The router that answers what no route matched. camel-platform-http-vertx 4.17 keeps it in a
     * private field (routes go to a sub-router, whose error handlers unmatched requests never
     * reach); a Camel upgrade that renames it fails the start here.
     */
    private Router rootRouter() {
      try {
        Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
        field.setAccessible(true);
        return (Router) field.get(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("camel-platform-http-vertx changed: no root router to answer unmatched requests", e);
      }
    }
  }

  /** A request for a route that is not running yet (or any more): the instance starts or stops. */
  private static final ApiException UNAVAILABLE =
      ApiException.unavailable("this instance is starting or stopping; repeat the request in a moment");

  private static void answer(RoutingContext ctx, Problems problems, ApiException problem) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", "application/problem+json");
    problem.headers().forEach(ctx.response()::putHeader);
    ctx.response().end(problems.document(problem));
  }
}
