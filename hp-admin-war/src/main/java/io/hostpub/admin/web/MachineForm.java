package io.hostpub.admin.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The machine chooser's fields, validated with Hibernate Validator; errors are shown beside each field. */
public final class MachineForm {

    @NotBlank(message = "enter a host name or IP address")
    @Size(max = 253, message = "at most 253 characters")
    @Pattern(regexp = "[A-Za-z0-9.\\-_]+|\\[?[0-9A-Fa-f:.]+]?", message = "a host name or an IP address, nothing else")
    private final String host;

    @NotNull(message = "enter the supervisor port (a number)")
    @Min(value = 1, message = "between 1 and 65535")
    @Max(value = 65535, message = "between 1 and 65535")
    private final Integer port;

    MachineForm(String host, Integer port) {
        this.host = host;
        this.port = port;
    }

    public String getHost() {
        return host;
    }

    public Integer getPort() {
        return port;
    }
}
