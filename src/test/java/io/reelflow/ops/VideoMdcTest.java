package io.reelflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class VideoMdcTest {

  // not "log": inside a RouteBuilder that names the builder's own logger
  private static final org.slf4j.Logger ROUTE_LOG = LoggerFactory.getLogger("io.reelflow.ops.VideoMdcTest.route");

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Map<String, String> callerMdcAfter = new ConcurrentHashMap<>();
  private CamelContext camel;

  @BeforeEach
  void start() throws Exception {
    Logger route = (Logger) LoggerFactory.getLogger("io.reelflow.ops.VideoMdcTest.route");
    route.setLevel(Level.INFO);
    route.addAppender(logged);
    logged.start();
    camel = new DefaultCamelContext();
    camel.getCamelContextExtension().addInterceptStrategy(new VideoMdc());
    camel.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from("direct:scene")
            .process(e -> ROUTE_LOG.info("on the caller's thread"))
            .multicast().parallelProcessing()
              .process(e -> ROUTE_LOG.info("on a multicast thread"))
              .process(e -> ROUTE_LOG.info("on another multicast thread"))
            .end()
            .removeHeader("sceneId")
            .process(e -> ROUTE_LOG.info("after the scene header is gone"));
        from("direct:api").process(e -> ROUTE_LOG.info("an API request"));
      }
    });
    camel.start();
  }

  @AfterEach
  void stop() {
    camel.stop();
    ((Logger) LoggerFactory.getLogger("io.reelflow.ops.VideoMdcTest.route")).detachAppender(logged);
  }

  @Test
  void everyLineLoggedWhileASceneIsWorkedOnCarriesItsIdsOnEveryThread() {
    ProducerTemplate producer = camel.createProducerTemplate();
    MDC.put("videoId", "the caller's own");

    producer.sendBodyAndHeaders("direct:scene", null, Map.of("videoId", "v-1", "sceneId", "s-1"));
    callerMdcAfter.put("videoId", String.valueOf(MDC.get("videoId")));
    callerMdcAfter.put("sceneId", String.valueOf(MDC.get("sceneId")));
    MDC.clear();
    producer.sendBody("direct:api", null);

    List<String> lines = logged.list.stream()
        .map(e -> e.getMessage() + " " + e.getMDCPropertyMap().get("videoId") + " " + e.getMDCPropertyMap().get("sceneId"))
        .toList();
    assertThat(lines).containsExactlyInAnyOrder(
        "on the caller's thread v-1 s-1",
        "on a multicast thread v-1 s-1",
        "on another multicast thread v-1 s-1",
        "after the scene header is gone v-1 null",
        "an API request null null");
    assertThat(callerMdcAfter).as("the caller's MDC as it was before the route").containsEntry("videoId", "the caller's own")
        .containsEntry("sceneId", "null");
  }
}
