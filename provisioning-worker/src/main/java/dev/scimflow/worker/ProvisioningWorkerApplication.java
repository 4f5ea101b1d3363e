package dev.scimflow.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The provisioning worker: the only writer of the user store. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProvisioningWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProvisioningWorkerApplication.class, args);
    }
}
