package io.hostpub.admin.api.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON serializer of the admin DTOs, shared by {@code hpctl --json} and the HTTP API so both print
 * identical documents. Records are written field by field in declaration order; instants as ISO-8601 UTC.
 */
public final class AdminJson {

    private final ObjectMapper mapper;

    public AdminJson() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public String writePretty(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The DTO as nested maps and lists of the same names and values as its JSON (e.g. for EL views). */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> toMap(Object value) {
        return mapper.convertValue(value, java.util.LinkedHashMap.class);
    }

    public <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return mapper.readValue(json, type);
    }
}
