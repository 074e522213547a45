package io.reelflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Reelflow: a prompt in, a finished video out, as Apache Camel routes on Spring Boot. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class Reelflow {

  public static void main(String[] args) {
    SpringApplication.run(Reelflow.class, args);
  }
}
