package io.hostpub.admin.web;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineEvent;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.locate.MachineAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the machine's event journal says beyond the live instances: the instances that ran and are gone (killed,
 * stopped, crashed), each with when it was last seen and what was last heard of it.
 */
final class MachineHistory {

    /** How many journal events the departed list looks back over. */
    static final int LOOK_BACK = 1_000;

    private MachineHistory() {
    }

    /**
     * The departed instances, the most recently seen first: names in the journal's last {@link #LOOK_BACK} events
     * that the machine's registry no longer has (a name started again under a new pid is live, not departed).
     */
    static List<Map<String, Object>> departed(AdminGateway gateway, MachineAddress machine, MachineView view) {
        try {
            return departed(gateway.call(machine, "main", admin -> admin.machineEvents(LOOK_BACK, null)), view);
        } catch (AdminFailure e) {
            return List.of(); // the instance list stands without it (a supervisor changing hands, say)
        }
    }

    /** Every life of one instance, from the journal; empty when it cannot be read (the page falls back). */
    static List<Map<String, Object>> of(AdminGateway gateway, MachineAddress machine, String instance) {
        try {
            return gateway.call(machine, instance, admin -> admin.machineEvents(50, instance)).stream()
                    .map(Json::toMap).toList();
        } catch (AdminFailure e) {
            return List.of();
        }
    }

    static List<Map<String, Object>> departed(List<MachineEvent> events, MachineView view) {
        Set<String> live = view.instances().stream().map(InstanceSummary::name).collect(Collectors.toSet());
        Map<String, MachineEvent> last = new LinkedHashMap<>();
        for (MachineEvent event : events) {
            last.put(event.instance(), event);
        }
        List<Map<String, Object>> departed = new ArrayList<>();
        last.values().stream().filter(e -> !live.contains(e.instance()))
                .sorted((a, b) -> b.at().compareTo(a.at()))
                .forEach(e -> departed.add(Json.toMap(e)));
        return departed;
    }
}
