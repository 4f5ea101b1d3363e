package dev.scimflow.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The provisioning worker: the only writer of the user store. */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class ProvisioningWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProvisioningWorkerApplication.class, args);
    }
}
